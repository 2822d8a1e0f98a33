import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PolicyAnalyzer } from "../../../tools/policy/policyAnalyzer";
import { allPolicies } from "../../../policies/rules";
import { projectRoot } from "../../support/runTool";

/**
 * The policy pack as `pulumi preview --policy-pack` starts it, from a copy of the pack alone (as
 * `pulumi policy publish` ships it): the CLI's run-policy-pack host type-checks it with ts-node
 * and the pack's own tsconfig.json — a config that leans on `extends` or on the project's
 * settings would not compile there.
 */
describe("the policy pack started by the Pulumi CLI's own policy host", () => {
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-pack-"));
  let analyzer: PolicyAnalyzer | undefined;

  beforeAll(async () => {
    const source = path.join(projectRoot, "policies");
    fs.cpSync(source, packDir, {
      recursive: true,
      filter: (f) => !f.includes(`${path.sep}node_modules`) && !f.endsWith(`${path.sep}config`),
    });
    // Dependencies resolve as they would after `npm install` in the published pack.
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(packDir, "node_modules"), "dir");
    analyzer = await PolicyAnalyzer.startAsPulumiCli(packDir);
  }, 120_000);
  afterAll(() => analyzer?.close());

  it("compiles with type-checking from its self-contained tsconfig and serves every rule", async () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(packDir, "tsconfig.json"), "utf8"));
    expect(tsconfig.extends).toBeUndefined();
    const info = await analyzer!.info();
    expect(info.name).toBe("acs-notifications");
    expect(info.rules.map((r) => r.name).sort()).toEqual(allPolicies.map((p) => p.name).sort());
  });
});
