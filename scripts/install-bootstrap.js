#!/usr/bin/env node
// Installs bootstrap/'s own dependencies from its lockfile (npm ci), once per lockfile change.
// bootstrap/ is a separate npm project on purpose: were @pulumi/github in the root's
// node_modules, every `pulumi up` of the main stacks would have the engine install the GitHub
// provider plugin (it collects plugins from every node_modules under the program). The deploy
// jobs install only the root; the test jobs (and `npm test` here) install this too.
"use strict";
const { createHash } = require("node:crypto");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const dir = path.resolve(__dirname, "..", "bootstrap");
const lock = path.join(dir, "package-lock.json");
const stamp = path.join(dir, "node_modules", ".installed-lock-sha256");
const want = createHash("sha256").update(fs.readFileSync(lock)).digest("hex");

if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === want) process.exit(0);

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit", timeout: 10 * 60_000 });
if (result.status !== 0) {
  console.error(`bootstrap/: npm ci failed${result.error ? ` (${result.error.message})` : ""}; run it there to see why.`);
  process.exit(1);
}
fs.writeFileSync(stamp, want + "\n");
