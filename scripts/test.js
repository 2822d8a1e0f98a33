#!/usr/bin/env node
// `npm test`: the whole offline suite. Jest runs with a worker per core while the static checks
// (type-check and lint in one pass, then the format check) run beside it in one more process, so
// neither waits for the other on a 2-core machine. The static checks' output is printed after
// jest's; the run ends with the plain line "N passed, N failed" that CI reads, where a failed
// static check counts as a failed test. Arguments are passed to jest (a file pattern, -t NAME).
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const { summaryLine } = require("./jest-summary-reporter");

const projectRoot = path.resolve(__dirname, "..");
const bin = (name) => path.join(projectRoot, "node_modules", ".bin", name);

process.stdout.write(`npm test on Node.js ${process.version}\n`);

// bootstrap/ is its own npm project (see scripts/install-bootstrap.js); its tests need it installed.
const bootstrap = spawnSync(process.execPath, [path.join(__dirname, "install-bootstrap.js")], { stdio: "inherit" });
if (bootstrap.status !== 0) process.exit(bootstrap.status ?? 1);

/** Runs a command with its output kept for later; resolves to its exit code and output. */
function runQuietly(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    // Behind jest: the static checks take the CPU time jest's workers leave while they wait for
    // the processes and servers their tests start, instead of slowing jest's own path.
    try {
      os.setPriority(child.pid, 10);
    } catch {
      // Not permitted here: the checks run at normal priority.
    }
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "acs-test-")), "summary.json");
const jest = spawn(process.execPath, [bin("jest"), ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: "inherit",
  env: {
    ...process.env,
    ACS_TEST_SUMMARY_FILE: summaryFile,
    // A young generation of 64 MB instead of V8's 16: the programs the tests run allocate briefly
    // and much, and fewer scavenges made the suite about 5 % faster.
    NODE_OPTIONS: [process.env.NODE_OPTIONS, "--max-semi-space-size=64"].filter(Boolean).join(" "),
  },
});
const jestEnded = new Promise((resolve) => jest.on("close", resolve));

// The format check starts when a core frees up: after the type-check and lint, or as soon as jest
// ends if they are still running — then each has a core. Started with them, three processes
// competed with jest's workers and the whole run was slower; started after them, it ran alone at
// the end with the other core idle.
const staticChecks = (async () => {
  const typesAndLintRun = runQuietly(process.execPath, [path.join(__dirname, "static-checks.js")]);
  await Promise.race([typesAndLintRun, jestEnded]);
  // Prettier's own cache (node_modules/.cache/prettier) skips files whose content it checked before.
  const formatRun = runQuietly(bin("prettier"), [
    "--check",
    ".",
    "--log-level",
    "warn",
    "--cache",
    "--cache-strategy",
    "content",
  ]);
  const [typesAndLint, format] = await Promise.all([typesAndLintRun, formatRun]);
  return [
    { name: "type-check and lint", ...typesAndLint },
    { name: "format (prettier --check; `npm run format` fixes it)", ...format },
  ];
})();

jest.on("close", async (jestCode) => {
  const checks = await staticChecks;
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    counts = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
  } catch {
    // jest ended before its reporter wrote: counted as one failure.
  }
  fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
  let failedChecks = 0;
  for (const check of checks) {
    const ok = check.code === 0;
    if (!ok) failedChecks++;
    process.stdout.write(`\n${ok ? "PASS" : "FAIL"} static check: ${check.name}\n${ok ? "" : check.output}`);
    if (ok && check.output.trim()) process.stdout.write(`${check.output.trim()}\n`);
  }
  const passed = counts.passed + checks.length - failedChecks;
  const failed = counts.failed + failedChecks;
  process.stdout.write(`\n${summaryLine({ passed, failed, skipped: counts.skipped })}\n`);
  process.exit(jestCode !== 0 || failedChecks > 0 ? 1 : 0);
});
