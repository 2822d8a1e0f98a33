import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The Node.js language host finds the plugins a program needs by walking every node_modules
 * directory under the project, deeply, for package.json files that mark a resource package
 * (`"pulumi": { "resource": true }`), and the engine installs each one before a preview or update
 * (pulumi/pulumi, sdk/nodejs/cmd/pulumi-language-nodejs: GetRequiredPlugins → getPluginsFromDir).
 * A package that is only here for a test would cost every fresh runner a plugin download.
 */
function resourcePackages(dir: string, found: Map<string, string> = new Map(), inNodeModules = false): Map<string, string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const full = path.join(dir, entry.name);
    if (!fs.statSync(full).isDirectory() || entry.name === ".git") continue;
    const manifest = path.join(full, "package.json");
    if (inNodeModules && fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
        name?: string;
        pulumi?: { resource?: boolean; name?: string };
      };
      if (pkg.pulumi?.resource) found.set(pkg.pulumi.name ?? pkg.name ?? full, path.relative(process.cwd(), full));
    }
    resourcePackages(full, found, inNodeModules || entry.name === "node_modules" || dir.endsWith("node_modules"));
  }
  return found;
}

describe("plugins the engine would install for this project", () => {
  it("are only the providers the program uses", () => {
    const root = path.join(__dirname, "..");
    const found = resourcePackages(path.join(root, "node_modules"), new Map(), true);
    for (const ws of ["policies", "function"]) {
      const nested = path.join(root, ws, "node_modules");
      if (fs.existsSync(nested)) resourcePackages(nested, found, true);
    }
    expect([...found.keys()].sort()).toEqual(["azure-native"]);
  });
});
