import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Diagnostic, PackInfo } from "../../../tools/policy/policyAnalyzer";
import { PolicyRun, renderJson, renderMarkdown, renderSarif, renderText } from "../../../tools/policy/policyReport";

const schema = JSON.parse(fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));

// The published schema has one pattern that is only valid without the `u` flag.
// Formats (uri, date-time, …) are checked too, as code scanning does.
function compileSarifSchema() {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
  return ajv.compile(schema);
}

const pack: PackInfo = {
  name: "acs-notifications",
  version: "0.1.0",
  rules: [
    {
      name: "apns-token-auth-required",
      description: "APNs must use token auth.",
      enforcementLevel: "mandatory",
      severity: "critical",
      remediationSteps: "Use a .p8 key.",
      kind: "resource",
      configSchema: { properties: {}, required: [] },
    },
    {
      name: "hub-rule-without-manage",
      description: "No Manage.",
      enforcementLevel: "advisory",
      severity: "medium",
      remediationSteps: "Drop Manage.",
      kind: "resource",
      configSchema: { properties: {}, required: [] },
    },
  ],
};
const diagnostic = (
  policyName: string,
  enforcementLevel: Diagnostic["enforcementLevel"],
  name: string,
  message: string,
): Diagnostic => ({
  policyName,
  policyPackName: "acs-notifications",
  policyPackVersion: "0.1.0",
  description: "",
  message,
  enforcementLevel,
  severity: enforcementLevel === "mandatory" ? "critical" : "medium",
  urn: `urn:pulumi:prod::acs-notifications::acs-notifications:notificationhubs:NotificationHub$azure-native:notificationhubs:NotificationHub::${name}`,
});
const run: PolicyRun = {
  pack,
  stack: "prod",
  source: "offline plan of Pulumi.prod.yaml",
  artifact: "Pulumi.prod.yaml",
  configSource: "policies/config/prod.json",
  resourceCount: 9,
  encryptedProperties: [],
  notes: [],
  config: {
    "hub-rule-without-manage": {
      enforcementLevel: "advisory",
      exemptions: [{ resource: "legacy", justification: "migrating | next sprint", expires: "2027-01-01" }],
    },
  },
  diagnostics: [
    diagnostic(
      "apns-token-auth-required",
      "mandatory",
      "hub",
      "Notification hub 'hub' configures APNs in certificate mode | fix it.",
    ),
    diagnostic("hub-rule-without-manage", "advisory", "send", "Hub access rule 'send' grants Manage."),
  ],
};

describe("policy reports", () => {
  it("SARIF is valid SARIF 2.1.0, with rule metadata, help and levels from enforcement", () => {
    const sarif = JSON.parse(renderSarif(run));
    const validate = compileSarifSchema();
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const driver = sarif.runs[0].tool.driver;
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(["apns-token-auth-required", "hub-rule-without-manage"]);
    expect(driver.rules[0].help.text).toMatch(/Fix: Use a \.p8 key\./);
    expect(driver.rules[0].properties["security-severity"]).toBe("9.5");
    expect(sarif.runs[0].results.map((r: { level: string; ruleIndex: number }) => [r.level, r.ruleIndex])).toEqual([
      ["error", 0],
      ["warning", 1],
    ]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("Pulumi.prod.yaml");
    expect(sarif.runs[0].results[0].partialFingerprints["pulumiUrnPolicy/v2"]).toMatch(/^[0-9a-f]{64}$/);
    expect(sarif.runs[0].results[0].partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
  });

  it("a SARIF log with no violations is still valid", () => {
    expect(compileSarifSchema()(JSON.parse(renderSarif({ ...run, diagnostics: [] })))).toBe(true);
  });

  it("Markdown has a marker for updating one PR comment per stack, summary counts, then a table per resource", () => {
    const md = renderMarkdown(run);
    expect(md.split("\n")[0]).toBe("<!-- acs-notifications-policy-report stack=prod -->");
    expect(md).toMatch(/Policy report — stack `prod`: ❌ blocked/);
    expect(md).toMatch(/\| 1 \| 1 \| 2 \|/);
    expect(md).toMatch(/#### `hub` \(azure-native:notificationhubs:NotificationHub\)/);
    expect(md).toContain("certificate mode \\| fix it."); // pipes escaped so the table holds
    expect(md).toMatch(/Exemptions declared[\s\S]*`legacy` \| 2027-01-01/);
    expect(renderMarkdown({ ...run, diagnostics: [] })).toMatch(/✅ passed/);
  });

  it("JSON carries policy, pack, version, enforcement, severity, URN and message", () => {
    const json = JSON.parse(renderJson(run));
    expect(json).toMatchObject({
      pack: "acs-notifications",
      version: "0.1.0",
      stack: "prod",
      summary: { mandatory: 1, advisory: 1 },
    });
    expect(json.violations[0]).toEqual({
      policy: "apns-token-auth-required",
      pack: "acs-notifications",
      version: "0.1.0",
      enforcement: "mandatory",
      severity: "critical",
      urn: run.diagnostics[0].urn,
      resource: "hub",
      message: run.diagnostics[0].message,
    });
  });

  it("text names level, rule, severity and resource on each line", () => {
    expect(renderText(run)).toMatch(/\[mandatory\] apns-token-auth-required \(critical\) hub: /);
    expect(renderText(run)).toMatch(/1 mandatory, 1 advisory violation\./);
  });

  it("keeps the schema file it validates against", () => {
    expect(path.basename(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"))).toMatch(/sarif-2\.1\.0/);
  });
});
