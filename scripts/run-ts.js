#!/usr/bin/env node
// Runs a TypeScript entry point with an swc require hook: transpile only, no type-check
// (`npm run typecheck` does that once for the whole project). This keeps the offline plan
// and the benchmarks fast; `pulumi up` runs the same sources through Pulumi's own ts-node.
"use strict";
const path = require("node:path");
const { transformSync } = require("@swc/core");

const projectRoot = path.resolve(__dirname, "..");
const nodeModules = path.join(projectRoot, "node_modules") + path.sep;

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  if (filename.startsWith(nodeModules)) {
    throw new Error(`refusing to transpile a TypeScript file inside node_modules: ${filename}`);
  }
  const source = require("node:fs").readFileSync(filename, "utf8");
  const { code } = transformSync(source, {
    filename,
    sourceMaps: "inline",
    module: { type: "commonjs" },
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  });
  module._compile(code, filename);
};

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.js FILE.ts [ARGS...]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];
// Load the entry as the main module, so `require.main === module` holds inside it.
require("node:module")._load(path.resolve(entry), null, true);
