// The one way this project turns its TypeScript into the JavaScript Node.js runs: TypeScript's own
// transpiler (no type-check; `npm run typecheck` does that) with tsconfig.json's options — the emit
// `pulumi up` runs, since Pulumi's ts-node transpiles with the same compiler and the same file.
//
// The emit matters beyond style: the Pulumi SDK serializes each dynamic provider from the code that
// actually runs. TypeScript writes `exports.name = name`; other transpilers write a getter per
// export, which the SDK then serializes as one more function each. The tools (scripts/run-ts.js)
// and jest (scripts/jest-transform.js) both use this module, so what the tests and the offline plan
// serialize is what a real preview serializes.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const projectRoot = path.resolve(__dirname, "..");
const TSCONFIG = path.join(projectRoot, "tsconfig.json");

// Source maps inline (no files beside the sources), as the transpiler of `pulumi up` keeps them in memory.
const OVERRIDES = { inlineSourceMap: true, inlineSources: true };

/**
 * What the emit depends on besides a file's own text — TypeScript's version, tsconfig.json and the
 * options set here — read without loading the compiler (a cached file needs none of it).
 */
const EMIT_KEY = [require("typescript/package.json").version, fs.readFileSync(TSCONFIG, "utf8"), JSON.stringify(OVERRIDES)].join(
  "\0",
);

let compilerOptions;
/** tsconfig.json's compiler options as TypeScript reads them, made once (on the first file compiled). */
function emitOptions(ts) {
  if (!compilerOptions) {
    const { config, error } = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
    if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, projectRoot, undefined, TSCONFIG);
    const { outDir, sourceMap, declaration, declarationMap, ...rest } = parsed.options;
    compilerOptions = { ...rest, ...OVERRIDES };
  }
  return compilerOptions;
}

/** One file's JavaScript. Throws on syntax TypeScript cannot transpile, naming the file. */
function transpileTypeScript(source, filename) {
  const ts = require("typescript");
  const { outputText, diagnostics } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: emitOptions(ts),
    reportDiagnostics: true,
  });
  const errors = (diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const first = errors[0];
    const where = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
    const at = where ? `${filename}:${where.line + 1}:${where.character + 1}` : filename;
    throw new SyntaxError(`${at}: ${ts.flattenDiagnosticMessageText(first.messageText, "\n")}`);
  }
  return outputText;
}

/** The key of one file's emit in a cache: its path, its text and all else the emit depends on. */
function emitCacheKey(source, filename) {
  return crypto.createHash("sha256").update(`${EMIT_KEY}\0${filename}\0${source}`).digest("hex");
}

module.exports = { emitCacheKey, transpileTypeScript };
