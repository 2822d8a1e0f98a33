import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { anchorsFor, configKeyLines } from "../../../tools/policy/policyAnchors";
import { compliantStack } from "../../policies/fixtures";
import { stackExport } from "../../support/stackExport";
import { projectRoot, runTool, runToolInEnv } from "../../support/runTool";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-sarif-"));
const devStackFile = fs.readFileSync(path.join(projectRoot, "Pulumi.dev.yaml"), "utf8");
const readme = { path: "policies/README.md", text: fs.readFileSync(path.join(projectRoot, "policies", "README.md"), "utf8") };

interface SarifResult {
  ruleId: string;
  level: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}

describe("anchoring findings where code scanning can track them", () => {
  it("finds each config key's line in a stack file", () => {
    const lines = configKeyLines(devStackFile);
    const apns = lines.get("acs-notifications:apns")!;
    expect(devStackFile.split("\n")[apns.line - 1]).toBe(apns.text);
    expect(apns.text).toMatch(/^ {2}acs-notifications:apns:/);
  });

  it("anchors a rule at its config key, a rule without one at the name prefix, and with no stack file at the rule's docs", () => {
    const stackFile = { path: "Pulumi.dev.yaml", text: devStackFile };
    const anchors = anchorsFor(
      ["apns-token-auth-required", "link-rule-send-only", "no-duplicate-chat-push"],
      "acs-notifications",
      stackFile,
      readme,
    );
    expect(anchors["apns-token-auth-required"].text).toMatch(/acs-notifications:apns:/);
    expect(anchors["link-rule-send-only"].text).toMatch(/acs-notifications:namePrefix:/);
    expect(anchors["no-duplicate-chat-push"].text).toMatch(/acs-notifications:chatPush:/);
    for (const anchor of Object.values(anchors)) expect(anchor.line).toBeGreaterThan(1);
    const audit = anchorsFor(["link-rule-send-only"], "acs-notifications", undefined, readme)["link-rule-send-only"];
    expect(audit).toMatchObject({ file: "policies/README.md", text: "### link-rule-send-only" });
    expect(readme.text.split("\n")[audit.line - 1]).toBe("### link-rule-send-only");
  });
});

describe("the SARIF report", () => {
  async function sarifFor(stack: ReturnType<typeof compliantStack>, env: Record<string, string> = {}, stackName = "dev") {
    const state = path.join(tmp, `${stackName}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(state, JSON.stringify(stackExport(Object.values(stack))));
    const { stdout } = await runToolInEnv(env, "policy", "--state", state, "--format", "sarif", "--stack", stackName);
    return JSON.parse(stdout).runs[0] as {
      results: SarifResult[];
      automationDetails: { id: string };
      tool: {
        driver: { informationUri?: string; rules: { id: string; helpUri?: string; defaultConfiguration: { level: string } }[] };
      };
    };
  }

  it("gives two findings on one hub distinct fingerprints, anchored at the APNs key's line", async () => {
    const stack = compliantStack("dev");
    // Certificate mode and the sandbox gateway: two APNs findings on the same hub.
    stack.hub.props.apnsCredential = {
      apnsCertificate: "MIIC",
      certificateKey: "x",
      endpoint: "https://api.development.push.apple.com:443/3/device",
    };
    const run = await sarifFor(stack);
    const apns = run.results.filter((r) => r.ruleId.startsWith("apns-"));
    expect(apns.length).toBeGreaterThanOrEqual(2);
    const fingerprints = run.results.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    const apnsLine = configKeyLines(devStackFile).get("acs-notifications:apns")!.line;
    for (const r of apns) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe("Pulumi.dev.yaml");
      expect(r.locations[0].physicalLocation.region.startLine).toBe(apnsLine);
    }
  });

  it("anchors a state audit of a stack with no committed file at a file that exists", async () => {
    const stack = compliantStack("legacy");
    stack.rule.props.rights = ["Send", "Manage"];
    const run = await sarifFor(stack, {}, "legacy");
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      const { uri } = r.locations[0].physicalLocation.artifactLocation;
      expect(fs.existsSync(path.join(projectRoot, uri))).toBe(true);
      expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    }
  });

  it("links rules to their documentation in the repository, never uses level none, and uses the workflow's category", async () => {
    const env = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "contoso/push", GITHUB_SHA: "abc123" };
    const run = await sarifFor(compliantStack("dev"), env);
    expect(run.tool.driver.informationUri).toBe("https://github.com/contoso/push/blob/abc123/policies/README.md");
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toBe(`https://github.com/contoso/push/blob/abc123/policies/README.md#${rule.id}`);
      expect(rule.defaultConfiguration.level).not.toBe("none");
    }
    const workflow = fs.readFileSync(path.join(projectRoot, ".github", "workflows", "pull-request.yml"), "utf8");
    const category = /category: (.+)$/m.exec(workflow)![1].replace("${{ matrix.stack }}", "dev");
    expect(run.automationDetails.id).toBe(`${category}/`);
  });

  it("leaves helpUri out rather than write a relative one outside GitHub Actions", async () => {
    const run = await sarifFor(compliantStack("dev"), { GITHUB_SERVER_URL: "", GITHUB_REPOSITORY: "" });
    expect(run.tool.driver.rules.every((r) => r.helpUri === undefined)).toBe(true);
  });
});

it("policy --help still works with the anchors in place", async () => {
  expect((await runTool("policy", "--help")).code).toBe(0);
});
