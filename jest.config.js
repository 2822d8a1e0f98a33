/**
 * Jest transpiles only — with TypeScript's own transpiler, the emit `pulumi up` runs
 * (scripts/jest-transform.js); `npm run typecheck` type-checks (and lints) the whole project once.
 */
module.exports = {
  testEnvironment: "node",
  // Modules compiled from V8's code cache (see the file).
  runtime: "<rootDir>/scripts/jest-runtime.js",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "<rootDir>/scripts/jest-transform.js",
    // GitHub's workflow parser ships as ES modules only; jest runs CommonJS, so swc converts it.
    "^.+/node_modules/@actions/.+\\.js$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "ecmascript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  transformIgnorePatterns: ["/node_modules/(?!@actions/)"],
  // …and its package.json exports only an "import" condition, which jest's resolver does not pick.
  moduleNameMapper: {
    // TypeScript is loaded on first use in tests (see the file).
    "^typescript$": "<rootDir>/test/support/lazyTypeScript.ts",
    "^@actions/(workflow-parser|expressions)$": "<rootDir>/node_modules/@actions/$1/dist/index.js",
    "^@actions/(workflow-parser|expressions)/(.+)$": "<rootDir>/node_modules/@actions/$1/dist/$2.js",
  },
  testTimeout: 30000,
  // One temporary directory per run, removed at its end (test/support/tempRoot.ts).
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  globalTeardown: "<rootDir>/test/support/globalTeardown.ts",
  setupFilesAfterEnv: ["<rootDir>/test/support/pulumiStackTraces.ts", "<rootDir>/test/support/inspectorSessions.ts"],
  // One worker per core: jest's default leaves one core idle for itself, which on 2 cores means running in band.
  maxWorkers: "100%",
  // A worker whose heap has grown past this after a test file is replaced: the programs and SDKs a file loads stay
  // in its registry, and without this a worker's resident memory reached 1.3 GB by the end of the run (at 250 MB its peak stays near 600 MB).
  workerIdleMemoryLimit: "250MB",
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
};
