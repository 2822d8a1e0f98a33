import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The project's cache folder (scripts/cache.js) stays within its bounds: the emit and the code caches
// add a file per new source text and nothing else removes old ones.
const { cacheFolder, tidyCache, CACHE_FOLDERS } = require("../../scripts/cache.js") as {
  cacheFolder(name: string): string;
  tidyCache(root: string, limits: Record<string, number>): void;
  CACHE_FOLDERS: Record<string, number>;
};

describe("the cache folder", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "acs-cache-"));
  const write = (file: string, bytes: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), Buffer.alloc(bytes));
  };
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("drops a folder past its limit, counting nested folders, and keeps one within it", () => {
    write("emit/a.js", 600);
    write("emit/b.js", 600);
    write("v8/v22/x.bin", 700);
    write("v8/v22/y.bin", 700);
    write("static-checks/lint-state.json", 10);
    tidyCache(root, { emit: 1000, v8: 2000, "static-checks": Infinity });
    expect(fs.readdirSync(root).sort()).toEqual(["static-checks", "v8"]);
    tidyCache(root, { emit: 1000, v8: 1000, "static-checks": Infinity });
    expect(fs.readdirSync(root)).toEqual(["static-checks"]);
  });

  it("removes what no version of the project names any more (an earlier transpiler's folder)", () => {
    write("swc/old.js", 10);
    write("constructor/x", 10);
    tidyCache(root, { "static-checks": Infinity });
    expect(fs.readdirSync(root)).toEqual(["static-checks"]);
  });

  it("names every folder a tool writes, and refuses a folder it does not know", () => {
    expect(Object.keys(CACHE_FOLDERS).sort()).toEqual(["emit", "jest-v8", "static-checks", "v8"]);
    expect(() => cacheFolder("swc")).toThrow(/no cache folder 'swc'/);
  });
});
