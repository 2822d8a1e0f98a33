import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compliantStack } from "../../policies/fixtures";
import { stackExport } from "../../support/stackExport";
import { projectRoot as root, runTool } from "../../support/runTool";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-policy-"));

const tool = runTool;

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

describe("npm run policy -- --state FILE", () => {
  const functionPath = writeJson("function-path.json", { "no-duplicate-chat-push": { chatPushPath: "function" } });

  it("passes a compliant stack export", async () => {
    const state = writeJson("ok.json", stackExport(Object.values(compliantStack("dev"))));
    const { code, stdout } = await tool("policy", "--state", state, "--policy-config", functionPath);
    // Files outside the project are named in full: a base name alone could be any folder's ok.json.
    expect(stdout).toContain(
      `on stack 'dev' (state export ${state}):\n  Config: ${functionPath}. Resources checked: 8.\n  no violations.`,
    );
    expect(code).toBe(0);
  });

  it("fails on a mandatory violation and writes the requested reports", async () => {
    const stack = compliantStack("prod");
    stack.hub.props.gcmCredential = { googleApiKey: "AAAA-legacy-key" };
    const state = writeJson("bad.json", stackExport(Object.values(stack), ["apnsCredential"]));
    const sarifFile = path.join(tmp, "out", "prod.sarif");
    const mdFile = path.join(tmp, "out", "prod.md");
    const { code, stdout } = await tool(
      "policy",
      "--state",
      state,
      "--format",
      "json",
      "--report",
      `sarif=${sarifFile}`,
      "--report",
      `markdown=${mdFile}`,
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.violations.map((v: { policy: string }) => v.policy).sort()).toEqual([
      "fcm-v1-required",
      "no-duplicate-chat-push",
    ]);
    expect(stdout).not.toContain("AAAA-legacy-key");
    expect(JSON.parse(fs.readFileSync(sarifFile, "utf8")).runs[0].results).toHaveLength(2);
    expect(fs.readFileSync(mdFile, "utf8")).toMatch(/stack `prod`: ❌ blocked/);
  });

  it("explains a file that is not a stack export", async () => {
    const { code, stderr } = await tool("policy", "--state", writeJson("nope.json", { hello: 1 }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/not a `pulumi stack export` file/);
  });

  it("names the problem in an invalid policy config", async () => {
    const state = writeJson("ok2.json", stackExport(Object.values(compliantStack("dev"))));
    const { code, stderr } = await tool(
      "policy",
      "--state",
      state,
      "--policy-config",
      writeJson("bad-config.json", { "fcm-v1-required": "sometimes" }),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/fcm-v1-required: enforcement level must be one of advisory, mandatory, disabled, remediate/);
  });

  it("requires --state", async () => {
    const { code, stderr } = await tool("policy", "--format", "sarif");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--state is required/);
  });
});

describe("npm run plan with the policy pack", () => {
  it("fails the plan on a mandatory violation: a prod stack pointing APNs at the sandbox", async () => {
    const dev = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(tmp, "Pulumi.yaml"));
    fs.writeFileSync(path.join(tmp, "Pulumi.prod.yaml"), dev.replace("namePrefix: acsnotif-dev", "namePrefix: acsnotif-prod"));
    const { code, stdout } = await tool(
      "plan",
      "--stack",
      "prod",
      "--dir",
      tmp,
      "--report",
      `markdown=${path.join(tmp, "plan-prod.md")}`,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /\[mandatory\] apns-endpoint-matches-environment \(high\) acsnotif-prod-hub: .*sandbox gateway in a production stack/,
    );
    expect(fs.readFileSync(path.join(tmp, "plan-prod.md"), "utf8")).toMatch(/apns-endpoint-matches-environment/);
  });

  it("adds the policy result to the JSON plan", async () => {
    const { code, stdout } = await tool("plan", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).policy).toMatchObject({ pack: "acs-notifications", summary: { mandatory: 0 } });
  });
});
