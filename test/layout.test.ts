import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "./support/runTool";

// The README's layout is the map a newcomer reads first: every path it names exists, and every
// source folder is on it.
const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
const layoutStart = readme.indexOf("## Layout");
const layoutEnd = readme.indexOf("\n## ", layoutStart + 1);
const layout = readme.slice(layoutStart, layoutEnd < 0 ? undefined : layoutEnd);
const block = layout.slice(layout.indexOf("```") + 3, layout.lastIndexOf("```"));

/** Each entry's paths: the first column of a line, a folder's children resolved against the folder above. */
function namedPaths(): string[] {
  const paths: string[] = [];
  let parent = "";
  for (const line of block.split("\n")) {
    const indent = /^ */.exec(line)![0].length;
    const names = line.trim().split(/ {2,}/)[0];
    if (!names || indent >= 10) continue;
    for (const raw of names.split(/,\s*|\s{2,}/)) {
      const name = raw.trim();
      if (!/^[\w./<>-]+$/.test(name) || name.includes("<")) continue;
      const full = indent > 0 && parent ? path.join(parent, name) : name;
      paths.push(full);
    }
    if (indent === 0 && names.endsWith("/")) parent = names;
    else if (indent === 0) parent = "";
  }
  return paths;
}

describe("the README's layout", () => {
  it("names only paths that exist", () => {
    const named = namedPaths();
    expect(named.length).toBeGreaterThan(40);
    for (const p of named)
      expect({ path: p, exists: fs.existsSync(path.join(projectRoot, p)) }).toEqual({ path: p, exists: true });
  });

  it("shows every file of config/, azure/ and components/ and every folder of tools/", () => {
    const named = new Set(namedPaths().map((p) => p.replace(/\/$/, "")));
    for (const dir of ["config", "azure", "components", "tools"]) {
      for (const entry of fs.readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
        if (dir === "tools" && !entry.isDirectory()) continue;
        const p = `${dir}/${entry.name}`;
        expect({ path: p, onTheMap: named.has(p) }).toEqual({ path: p, onTheMap: true });
      }
    }
  });
});
