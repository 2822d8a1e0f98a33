import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";

// The jest runtime's code cache (scripts/jest-runtime.js): a module compiled again starts from V8's
// code for the same text, and a file whose text changed never runs its old code.
type Compiled = ((module: { exports: unknown }) => void) & { cachedDataRejected?: boolean };
const { compileCached } = require("../../scripts/jest-runtime.js") as {
  compileCached: (
    executor: object,
    jestCompile: (source: string, filename: string) => Compiled,
    source: string,
    filename: string,
  ) => Compiled;
};

const context = vm.createContext({});
const executor = {
  environment: { getVmContext: () => context },
  resolution: { isCoreModule: () => false },
  injectedModuleParameters: ["module"],
  dynamicImport: () => Promise.reject(new Error("no dynamic import here")),
};
const jestCompile = (): Compiled => {
  throw new Error("jest's own compile was not expected");
};
// A new file name for each run of the suite: the cache on disk outlives runs.
const file = path.join(os.tmpdir(), `acs-code-cache-${process.pid}-${Date.now()}.js`);

function run(source: string): { value: unknown; fromCache: boolean } {
  const compiled = compileCached(executor, jestCompile, source, file);
  const module = { exports: undefined as unknown };
  compiled(module);
  // Node sets cachedDataRejected only when it was given a cache: false means V8 used it.
  return { value: module.exports, fromCache: compiled.cachedDataRejected === false };
}

describe("jest's code cache", () => {
  it("compiles a module from source first, from its cache the next time", () => {
    expect(run("module.exports = 'first';")).toEqual({ value: "first", fromCache: false });
    expect(run("module.exports = 'first';")).toEqual({ value: "first", fromCache: true });
  });

  it("runs a file's new text when it changed, even at the same length", () => {
    expect(run("module.exports = 'other';")).toEqual({ value: "other", fromCache: false });
    expect(run("module.exports = 'other';")).toEqual({ value: "other", fromCache: true });
  });
});
