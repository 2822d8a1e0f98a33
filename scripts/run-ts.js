#!/usr/bin/env node
// Runs a TypeScript entry point with a require hook: TypeScript's transpiler without a type-check
// (`npm run typecheck` does that once for the whole project), each file's output kept on disk, so
// the offline plan and the tools start fast. The emit is the one `pulumi up` runs through Pulumi's
// own ts-node (scripts/typescript-emit.js).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const nodeModule = require("node:module");

const projectRoot = path.resolve(__dirname, "..");
const nodeModules = path.join(projectRoot, "node_modules") + path.sep;
const { cacheFolder, writeCacheFile } = require("./cache");

// Node.js 22 keeps V8's compiled code of every CommonJS module on disk (the Pulumi SDK alone is
// ~0.2 s to compile on each start); older versions lack the call and compile as before.
nodeModule.enableCompileCache?.(cacheFolder("v8"));

const { emitCacheKey, transpileTypeScript } = require("./typescript-emit");
/** The emit of one file (scripts/typescript-emit.js), kept by a hash of its path, text and what else the emit depends on. */
function transpile(source, filename) {
  const cached = path.join(cacheFolder("emit"), `${emitCacheKey(source, filename)}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // Not cached yet: compile below.
  }
  const code = transpileTypeScript(source, filename);
  writeCacheFile(cached, code);
  return code;
}

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  if (filename.startsWith(nodeModules)) {
    throw new Error(`refusing to transpile a TypeScript file inside node_modules: ${filename}`);
  }
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};

// A server started for one tool's run (the policy pack's analyzer) ends with that tool, however the
// tool ends — a signal, out of memory, a crash: its end closes this process's stdin.
if (process.env.ACS_NOTIFICATIONS_EXIT_WITH_PARENT === "1") {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.js FILE.ts [ARGS...]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
// Load the entry as the main module, so `require.main === module` holds inside it.
require("node:module")._load(path.resolve(entry), null, true);
