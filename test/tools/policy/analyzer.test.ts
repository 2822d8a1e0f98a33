import * as path from "node:path";
import { PolicyAnalyzer } from "../../../tools/policy/policyAnalyzer";
import { resolvePolicyConfig } from "../../../tools/policy/policyConfig";
import { resourcesFromStackExport } from "../../../tools/policy/stackExport";
import { allPolicies } from "../../../policies/rules";
import { compliantStack } from "../../policies/fixtures";
import { stackExport } from "../../support/stackExport";
import { UNKNOWN_STRING } from "../../policies/harness";
import { projectRoot } from "../../support/runTool";

const packDir = path.join(projectRoot, "policies");

// The pack runs as its own process with its own gRPC server, driven by the engine's protocol.
describe("the policy pack through its analyzer server", () => {
  let analyzer: PolicyAnalyzer;
  beforeAll(async () => {
    analyzer = await PolicyAnalyzer.start(packDir);
  });
  afterAll(() => analyzer.close());

  it("serves every rule with its metadata and the pack's version", async () => {
    const info = await analyzer.info();
    expect(info.name).toBe("acs-notifications");
    expect(info.version).toBe(require("../../../policies/package.json").version);
    expect(info.rules.map((r) => r.name)).toEqual(allPolicies.map((p) => p.name));
    const apns = info.rules.find((r) => r.name === "apns-token-auth-required")!;
    expect(apns).toMatchObject({ enforcementLevel: "mandatory", severity: "critical", kind: "resource" });
    expect(info.rules.find((r) => r.name === "link-same-subscription")!.kind).toBe("stack");
    expect(Object.keys(apns.configSchema.properties)).toContain("exemptions");
  });

  it("reports violations from Analyze and AnalyzeStack with level, severity and URN, secrets stripped", async () => {
    const stack = compliantStack("prod");
    stack.hub.props.apnsCredential = {
      ...(stack.hub.props.apnsCredential as object),
      apnsCertificate: "MIIC-cert",
      certificateKey: "p@ss",
    };
    stack.rule.props.rights = ["Send", "Manage"];
    const resources = resourcesFromStackExport(stackExport(Object.values(stack), ["connectionString"]));
    await analyzer.configure(resolvePolicyConfig({}, await analyzer.info()));
    const diagnostics = await analyzer.analyze(resources);
    const seen = diagnostics.map((d) => `${d.policyName} ${d.enforcementLevel} ${d.severity} ${d.urn.split("::").pop()}`).sort();
    expect(seen).toEqual([
      "apns-endpoint-matches-environment mandatory high hub",
      "apns-token-auth-required mandatory critical hub",
      "hub-rule-without-manage advisory medium send",
      "link-rule-send-only mandatory high send",
      "no-duplicate-chat-push advisory medium chat-to-function",
    ]);
    for (const d of diagnostics) {
      expect(d.policyPackName).toBe("acs-notifications");
      expect(d.message).not.toMatch(/MIIC-cert|p@ss|SharedAccessKey=/);
    }
  });

  it("applies enforcement levels and settings from the pack config", async () => {
    const info = await analyzer.info();
    const stack = compliantStack("prod");
    const resources = resourcesFromStackExport(stackExport(Object.values(stack)));
    await analyzer.configure(
      resolvePolicyConfig({ all: "advisory", "no-duplicate-chat-push": { enforcementLevel: "disabled" } }, info),
    );
    expect((await analyzer.analyze(resources)).map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual([
      "apns-endpoint-matches-environment:advisory",
    ]);
    await analyzer.configure(
      resolvePolicyConfig(
        {
          "apns-endpoint-matches-environment": { productionStacks: ["live"] },
          "no-duplicate-chat-push": { chatPushPath: "function" },
        },
        info,
      ),
    );
    expect(await analyzer.analyze(resources)).toEqual([]);
  });

  it("does not crash or report a violation on values unknown during preview", async () => {
    const stack = compliantStack("prod");
    stack.hub.props.apnsCredential = UNKNOWN_STRING;
    stack.link.props.notificationHubId = UNKNOWN_STRING;
    const resources = resourcesFromStackExport(stackExport(Object.values(stack)));
    await analyzer.configure(
      resolvePolicyConfig({ "no-duplicate-chat-push": { chatPushPath: "function" } }, await analyzer.info()),
    );
    expect(await analyzer.analyze(resources)).toEqual([]);
  });

  it("rejects a config that breaks a rule's schema, naming the rule and the setting", async () => {
    const info = await analyzer.info();
    expect(() => resolvePolicyConfig({ "apns-endpoint-matches-environment": { environment: "staging" } }, info)).toThrow(
      /apns-endpoint-matches-environment\.environment: must be equal to one of the allowed values/,
    );
    expect(() => resolvePolicyConfig({ "no-such-rule": "mandatory" }, info)).toThrow(/no-such-rule: no such rule/);
    const badExemption = () =>
      resolvePolicyConfig(
        { "fcm-v1-required": { exemptions: [{ resource: "hub", justification: "short", expires: "soon" }] } },
        info,
      );
    expect(badExemption).toThrow(/fcm-v1-required\.exemptions\.0\.justification: must match pattern/);
    expect(badExemption).toThrow(/fcm-v1-required\.exemptions\.0\.expires: must match pattern/);
  });

  it("names a misspelt setting inside a rule instead of ignoring it", async () => {
    const info = await analyzer.info();
    const misspelt = () =>
      resolvePolicyConfig(
        {
          "apns-endpoint-matches-environment": { productionStack: ["live"], enforcmentLevel: "mandatory" },
          "fcm-v1-required": { exemptons: [] },
        },
        info,
      );
    expect(misspelt).toThrow(
      /apns-endpoint-matches-environment: 'productionStack' is not a setting of this rule; settings: enforcementLevel, /,
    );
    expect(misspelt).toThrow(/apns-endpoint-matches-environment: 'enforcmentLevel' is not a setting of this rule/);
    expect(misspelt).toThrow(/fcm-v1-required: 'exemptons' is not a setting of this rule/);
  });

  it("refuses exemptions a reviewer could be misled by: no day, a blank justification, two for one resource", async () => {
    const info = await analyzer.info();
    const exemption = (e: object) => ({
      resource: "hub",
      justification: "Migrating to FCM v1 by the end of the month.",
      expires: "2099-01-31",
      ...e,
    });
    const withExemptions =
      (...exemptions: object[]) =>
      () =>
        resolvePolicyConfig({ "fcm-v1-required": { exemptions } }, info);
    expect(withExemptions(exemption({ expires: "2020-13-45" }))).toThrow(
      /fcm-v1-required\.exemptions\.0\.expires: must match pattern/,
    );
    expect(withExemptions(exemption({ expires: "2099-02-30" }))).toThrow(
      /fcm-v1-required\.exemptions\[0\]\.expires: must be a real date \(YYYY-MM-DD\); it names no day\./,
    );
    expect(withExemptions(exemption({ justification: " ".repeat(10) }))).toThrow(
      /exemptions\.0\.justification: must match pattern/,
    );
    expect(withExemptions(exemption({}), exemption({ justification: "Another reason, also long enough." }))).toThrow(
      /fcm-v1-required\.exemptions\[1\]: a second exemption of 'hub'; keep one per resource and rule\./,
    );
    expect(withExemptions(exemption({}), exemption({ resource: "other-hub" }))()).toBeDefined();
  });
});
