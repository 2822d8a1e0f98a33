import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bootstrapInstallProblem } from "../../tools/plan/bootstrapPlan";
import { runTool } from "../support/runTool";
import { stackDirWith } from "../support/stackDir";

const plan = (...args: string[]) => runTool("plan:bootstrap", ...args);

const bootstrapStackDir = (yaml: string) => stackDirWith(yaml, { projectDir: "bootstrap" });

describe("npm run plan:bootstrap", () => {
  it("prints what the committed bootstrap stack would create, with what only Azure knows as not known yet", async () => {
    const { code, stdout } = await plan();
    expect(code).toBe(0);
    expect(stdout).toMatch(/Plan for stack 'gitops' — offline/);
    expect(stdout).toMatch(
      /\+ azure-native:managedidentity:FederatedIdentityCredential {2}acsnotif-prod-deploy-github-environment\n(?:.*\n)*?\s+subject: repo:contoso\/acs-notifications:environment:prod/,
    );
    expect(stdout).toMatch(
      /\+ github:index\/actionsEnvironmentVariable:ActionsEnvironmentVariable {2}prod-client-id\n(?:.*\n)*?\s+value: \(known after deploy\)/,
    );
    // The subscription comes from the signed-in account: the mocks' stand-in is never shown as if real
    // (the example vault id in the committed stack file is configuration, and shown as written).
    expect(stdout).not.toMatch(/00000000-0000-0000-0000-000000000000\/resourceGroups\/acsnotif-(dev|staging|prod)-rg/);
    expect(stdout).toMatch(/scope: \(known after deploy\)/);
  });

  it("answers --help, and rejects an unknown option with usage (exit 2)", async () => {
    const help = await plan("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run -s plan:bootstrap/);
    const bad = await plan("--stak", "gitops");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--stak/);
    expect(bad.stderr).toMatch(/usage:/);
  });

  it("fails with every configuration problem, each key named, no value echoed and no stack trace (exit 1)", async () => {
    const canary = "ghp_canary0123456789abcdefghijklmnopqrstuv";
    const dir = bootstrapStackDir(
      [
        "config:",
        "  acs-notifications-bootstrap:repository: contoso",
        `  acs-notifications-bootstrap:githubToken: ${canary}`,
        "  acs-notifications-bootstrap:location: West Europe",
        "  acs-notification-bootstrap:identityResourceGroup: rg",
        "  acs-notifications-bootstrap:environments:",
        "    dev: { resourceGroup: acsnotif-dev-rg }",
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await plan("--stack", "bad", "--dir", dir);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    for (const expected of [
      "acs-notification-bootstrap:identityResourceGroup is read by nothing here",
      "acs-notifications-bootstrap:githubToken is not a setting",
      "acs-notifications-bootstrap:repository must be the GitHub repository as owner/name.",
      "acs-notifications-bootstrap:location must be an Azure region name",
      "acs-notifications-bootstrap:identityResourceGroup is required",
      "acs-notifications-bootstrap:pulumiOrganization is required",
      "acs-notifications-bootstrap:environments lacks prod, staging",
    ]) {
      expect(stderr).toContain(expected);
    }
    expect(stderr).not.toContain(canary);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("npm run plan:bootstrap before bootstrap/ is installed", () => {
  it("says to run npm run bootstrap:install, naming what is missing, instead of a module error", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "acs-bootstrap-"));
    expect(bootstrapInstallProblem(empty)).toBe(
      "bootstrap/ is its own npm project and its dependencies are not installed (@pulumi/github, @pulumi/azure-native, @pulumi/pulumi): run `npm run bootstrap:install` first",
    );
    expect(bootstrapInstallProblem()).toBeUndefined();
  });
});
