// Jest's transformer for the project's TypeScript: the same emit as the tools and `pulumi up`
// (scripts/typescript-emit.js), so the dynamic providers the tests serialize and load again are the
// code a real preview serializes. Jest keeps each output in its own cache under this key.
"use strict";
const { emitCacheKey, transpileTypeScript } = require("./typescript-emit");

module.exports = {
  getCacheKey: emitCacheKey,
  process(source, filename) {
    return { code: transpileTypeScript(source, filename) };
  },
};
