// Jest's module runtime with V8's code cache. Jest compiles every module anew in every test file
// (each file has its own module registry), and compiling — V8 parsing the source — was the largest
// single cost of the suite: ~12 CPU-seconds, mostly the Pulumi SDK and azure-native, compiled once
// per test file that runs a program. V8 can instead start from the code it made for the same source
// before: kept here per source text, in memory for the worker's later test files and on disk for
// later runs. V8 itself checks a cache only against its own version, its flags and the source's
// *length* — given the cache of another text of the same length it runs the old code — so each
// cache is found by a hash of the whole text, never by file name alone.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const v8 = require("node:v8");
const Runtime = require("jest-runtime").default;

// A code cache is used only under the V8 flags it was made with, and the Pulumi SDK sets one when it
// loads (its closure serializer needs natives syntax). Set here, before any test file compiles, every
// cache is made and used under the same flags; otherwise the modules a worker compiled before its
// first SDK load and those after would each reject the other's caches, and make new ones, every run.
v8.setFlagsFromString("--allow-natives-syntax");

const { cacheFolder, writeCacheFile } = require("./cache");

const CACHE_DIR = cacheFolder("jest-v8");

/**
 * This worker's code caches, by file: the source they were made from, its key on disk and the
 * cache (undefined: none yet). Each later test file compiles the same source again; comparing it
 * with the kept one costs far less than hashing it again.
 */
const byFile = new Map();

function entryFor(source, filename) {
  const known = byFile.get(filename);
  if (known && known.source === source) return known;
  const key = crypto.createHash("sha256").update(`${process.version}\0${filename}\0${source}`).digest("hex");
  let data;
  try {
    data = fs.readFileSync(path.join(CACHE_DIR, `${key}.bin`));
  } catch {
    data = undefined;
  }
  const entry = { source, key, data };
  byFile.set(filename, entry);
  return entry;
}

function keep(entry, data) {
  entry.data = data;
  writeCacheFile(path.join(CACHE_DIR, `${entry.key}.bin`), data);
}

/**
 * Compiles one module as jest does (its module wrapper's parameters, the test file's context, its
 * dynamic import), starting from the code cache when there is one.
 */
function compileCached(executor, jestCompile, scriptSource, filename) {
  const vmContext = executor.environment.getVmContext();
  if (vmContext == null || executor.resolution.isCoreModule(filename)) return jestCompile(scriptSource, filename);
  const entry = entryFor(scriptSource, filename);
  const cachedData = entry.data;
  let compiled;
  try {
    compiled = vm.compileFunction(scriptSource, executor.injectedModuleParameters, {
      filename,
      parsingContext: vmContext,
      cachedData,
      produceCachedData: cachedData === undefined,
      importModuleDynamically: (specifier, _fn, attributes, ...rest) =>
        executor.dynamicImport(specifier, filename, vmContext, attributes, rest[0]),
    });
  } catch {
    // Jest's own path, for its messages on a syntax error.
    return jestCompile(scriptSource, filename);
  }
  if (cachedData === undefined && compiled.cachedDataProduced) keep(entry, compiled.cachedData);
  // Made by another Node.js build or with other flags: the next compile makes a new one.
  else if (cachedData !== undefined && compiled.cachedDataRejected) entry.data = undefined;
  return compiled;
}

let warned = false;

class CodeCachingRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    // jest-runtime 30 compiles in its module executor; another version without one runs uncached, and says so.
    const executor = this.executor;
    if (executor && typeof executor.compile === "function") {
      const jestCompile = executor.compile.bind(executor);
      executor.compile = (scriptSource, filename) => compileCached(executor, jestCompile, scriptSource, filename);
    } else if (!warned) {
      warned = true;
      process.emitWarning(
        "this jest-runtime has no module executor: modules compile without the code cache (scripts/jest-runtime.js)",
      );
    }
  }
}

module.exports = CodeCachingRuntime;
module.exports.compileCached = compileCached;
