// Runs a command's entry point in this process and, at exit, appends its wall time and peak
// RSS (as the kernel reports it for this process) to the file named by BENCH_RESULT_FILE.
"use strict";
const fs = require("node:fs");
const start = process.hrtime.bigint();
process.on("exit", (code) => {
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  fs.appendFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify({ wallMs, maxRssMb, code }) + "\n");
});
