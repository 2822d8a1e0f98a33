// Where the project keeps what it can make again — transpiled files, V8's compiled code, the static
// checks' build info — and the one way it writes there. Nothing in it is needed: delete the folder
// to start cold.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const CACHE_ROOT = path.join(__dirname, "..", "node_modules", ".cache", "acs-notifications");

const MIB = 1024 * 1024;
/**
 * Every folder of the cache, with the most it may hold. The emit and jest's code caches add a file
 * for each new text of a source and nothing else removes the old ones; Node.js's compile cache adds
 * a folder for each Node.js version. The static checks keep a fixed set of files.
 */
const CACHE_FOLDERS = {
  emit: 64 * MIB, // scripts/run-ts.js: each file's JavaScript
  "jest-v8": 256 * MIB, // scripts/jest-runtime.js: V8's code for each module jest compiles
  v8: 256 * MIB, // Node.js's compile cache for the tools (scripts/run-ts.js) and the Kusto service
  "static-checks": Infinity, // scripts/static-checks.js: build info, lint state
};

/** The path of one of the cache's folders (CACHE_FOLDERS names them all). */
function cacheFolder(name) {
  if (!Object.hasOwn(CACHE_FOLDERS, name)) throw new Error(`no cache folder '${name}' in scripts/cache.js`);
  return path.join(CACHE_ROOT, name);
}

/**
 * Writes one cache file, aside and then renamed, so a concurrent process (another tool, another
 * jest worker) never reads half a file. A failure (a read-only checkout) only means no cache.
 */
function writeCacheFile(file, data) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, data);
    fs.renameSync(partial, file);
  } catch {
    // Uncached.
  }
}

function bytesUnder(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(full) : fs.statSync(full).size;
  }
  return total;
}

/**
 * Keeps the cache within its bounds: a folder past its limit is dropped (the next run makes it
 * anew), and a folder no version of the project names any more (an earlier transpiler's) goes.
 * Called once before a test run (test/support/globalSetup.ts), never on a tool's start.
 */
function tidyCache(root = CACHE_ROOT, limits = CACHE_FOLDERS) {
  let names;
  try {
    names = fs.readdirSync(root);
  } catch {
    return; // No cache yet.
  }
  for (const name of names) {
    const dir = path.join(root, name);
    try {
      if (!Object.hasOwn(limits, name) || bytesUnder(dir) > limits[name]) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process is writing there: tidied on a later run.
    }
  }
}

module.exports = { CACHE_ROOT, CACHE_FOLDERS, cacheFolder, tidyCache, writeCacheFile };
