// Jest's module runtime with V8's code cache. Jest compiles every module anew in every test file
// (each file has its own module registry), and compiling — V8 parsing the source — was the largest
// single cost of the suite: ~12 CPU-seconds, mostly the Pulumi SDK and azure-native, compiled once
// per test file that runs a program. V8 can instead start from the code it made for the same source
// before: kept here per source text, in memory for the worker's later test files and on disk for
// later runs. What runs is unchanged: V8 checks the cache against the source and its own version and
// flags, and compiles from the source when it does not match.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Runtime = require("jest-runtime").default;

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "acs-notifications", "jest-v8");
/** Code caches of this worker, by key: read or made once, used by every later test file. */
const inMemory = new Map();

function cacheKey(source, filename) {
  return crypto.createHash("sha256").update(`${process.version}\0${filename}\0${source}`).digest("hex");
}

function readCache(key) {
  if (inMemory.has(key)) return inMemory.get(key);
  let data;
  try {
    data = fs.readFileSync(path.join(CACHE_DIR, `${key}.bin`));
  } catch {
    data = undefined;
  }
  inMemory.set(key, data);
  return data;
}

function writeCache(key, data) {
  inMemory.set(key, data);
  try {
    // Written aside and renamed: a worker never reads another's half-written file.
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = path.join(CACHE_DIR, `${key}.${process.pid}.tmp`);
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, path.join(CACHE_DIR, `${key}.bin`));
  } catch {
    // A read-only checkout runs uncached.
  }
}

/**
 * Compiles one module as jest does (its module wrapper's parameters, the test file's context, its
 * dynamic import), starting from the code cache when there is one.
 */
function compileCached(executor, jestCompile, scriptSource, filename) {
  const vmContext = executor.environment.getVmContext();
  if (vmContext == null || executor.resolution.isCoreModule(filename)) return jestCompile(scriptSource, filename);
  const key = cacheKey(scriptSource, filename);
  const cachedData = readCache(key);
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
  if (cachedData === undefined && compiled.cachedDataProduced) writeCache(key, compiled.cachedData);
  else if (cachedData !== undefined && compiled.cachedDataRejected) inMemory.set(key, undefined);
  return compiled;
}

class CodeCachingRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    // jest-runtime 30 compiles in its module executor; another version without one runs uncached.
    const executor = this.executor;
    if (executor && typeof executor.compile === "function") {
      const jestCompile = executor.compile.bind(executor);
      executor.compile = (scriptSource, filename) => compileCached(executor, jestCompile, scriptSource, filename);
    }
  }
}

module.exports = CodeCachingRuntime;
