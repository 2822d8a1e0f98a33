// Preloaded into `npm run policy` by bench/policyScale.bench.ts: at exit, appends the wall time,
// the tool's peak RSS and the policy pack server's peak RSS (VmHWM read from /proc just before the
// tool stops it) to the file named by BENCH_RESULT_FILE. Linux only.
"use strict";
const fs = require("node:fs");
const { ChildProcess } = require("node:child_process");
const start = process.hrtime.bigint();
let packRssMb = 0;
const kill = ChildProcess.prototype.kill;
ChildProcess.prototype.kill = function measuredKill(...args) {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, "utf8"));
    if (hwm) packRssMb = Math.max(packRssMb, Number(hwm[1]) / 1024);
  } catch {
    // Already gone: nothing to read.
  }
  return kill.apply(this, args);
};
process.on("exit", (code) => {
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const toolRssMb = process.resourceUsage().maxRSS / 1024;
  fs.appendFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify({ wallMs, toolRssMb, packRssMb, code }) + "\n");
});
