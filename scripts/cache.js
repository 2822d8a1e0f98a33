// Where the project keeps what it can make again — transpiled files, V8's compiled code, the static
// checks' build info — and the one way it writes there. Nothing in it is needed: delete the folder
// to start cold.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const CACHE_ROOT = path.join(__dirname, "..", "node_modules", ".cache", "acs-notifications");

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

module.exports = { CACHE_ROOT, writeCacheFile };
