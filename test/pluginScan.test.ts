import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const root = path.join(__dirname, "..");

/**
 * The plugins the engine installs before a preview or update, found as the Node.js language host
 * finds them (pulumi/pulumi, sdk/nodejs/cmd/pulumi-language-nodejs/main.go: GetRequiredPackages →
 * getPackagesFromDir): every package.json inside a node_modules directory anywhere under the
 * program's directory, deeply, whose `pulumi.resource` is true — except in a directory holding a
 * PulumiPolicy.yaml (a nested policy pack). `absent` stands for directories a given runner never
 * installs.
 */
function requiredPlugins(
  dir: string,
  absent: readonly string[] = [],
  inNodeModules = false,
  found = new Set<string>(),
): Set<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.name === ".git" || absent.includes(full)) continue;
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (fs.existsSync(path.join(full, "PulumiPolicy.yaml"))) continue;
      requiredPlugins(full, absent, inNodeModules || path.basename(dir) === "node_modules", found);
    } else if (inNodeModules && entry.name === "package.json") {
      const pkg = JSON.parse(fs.readFileSync(full, "utf8")) as { name?: string; pulumi?: { resource?: boolean; name?: string } };
      if (pkg.pulumi?.resource) found.add(pkg.pulumi.name ?? (pkg.name ?? full).replace(/^@pulumi\//, ""));
    }
  }
  return found;
}

describe("plugins the engine would install", () => {
  it("for the main stacks, in the deploy jobs: only the provider the program uses", () => {
    // A package that is only here for a test or for the bootstrap would cost every deploy a plugin download.
    const bootstrapModules = path.join(root, "bootstrap", "node_modules");
    expect([...requiredPlugins(root, [bootstrapModules])].sort()).toEqual(["azure-native"]);
  });

  it("the deploy jobs install the root project only, never bootstrap/ (which would add the GitHub provider)", () => {
    const workflow = parse(fs.readFileSync(path.join(root, ".github/workflows/deploy-stack.yml"), "utf8")) as {
      jobs: Record<string, { steps: { run?: string; with?: Record<string, unknown> }[] }>;
    };
    const runs = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
    expect(runs.filter((r) => /\bnpm\b/.test(r))).toEqual(["npm ci"]);
    expect(JSON.stringify(workflow)).not.toMatch(/bootstrap|work-dir|working-directory/);
    // `npm ci` must not install bootstrap/ either: no install hook reaches it.
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
      workspaces: string[];
    };
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(pkg.scripts[hook]).toBeUndefined();
    expect(pkg.workspaces).not.toContain("bootstrap");
  });

  it("for the bootstrap: Azure and GitHub", () => {
    expect([...requiredPlugins(path.join(root, "bootstrap"))].sort()).toEqual(["azure-native", "github"]);
  });
});
