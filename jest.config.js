/** Jest transpiles with swc only; `npm run typecheck` type-checks the whole project once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
};
