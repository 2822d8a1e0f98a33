// Jest's transformer for the project's TypeScript: the same emit as the tools and `pulumi up`
// (scripts/typescript-emit.js), so the dynamic providers the tests serialize and load again are the
// code a real preview serializes. Jest keeps each output in its own cache under this key.
"use strict";
const crypto = require("node:crypto");
const { EMIT_KEY, transpileTypeScript } = require("./typescript-emit");

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(`${EMIT_KEY}\0${filename}\0${source}`).digest("hex");
  },
  process(source, filename) {
    return { code: transpileTypeScript(source, filename) };
  },
};
