import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "fixtures", "azure");

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function filesUnder(dir: string): string[] {
  return walk(dir)
    .map((f) => path.relative(dir, f).split(path.sep).join("/"))
    .filter((f) => f !== "SOURCES.md");
}

describe("published Azure fixtures", () => {
  const sources = fs.readFileSync(path.join(ROOT, "SOURCES.md"), "utf8");
  const rows = [...sources.matchAll(/^\| `([^`]+)` \| ([\w.-]+\/[\w.-]+) \| `([^`]+)` \| `([0-9a-f]{40})` \|/gm)];

  it("name the repository, path and commit of every file", () => {
    expect(rows.map((r) => r[1]).sort()).toEqual(filesUnder(ROOT).sort());
  });

  it("are valid JSON where they are JSON", () => {
    for (const file of filesUnder(ROOT).filter((f) => f.endsWith(".json")))
      expect(() => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"))).not.toThrow();
  });
});
