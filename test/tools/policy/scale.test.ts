import * as path from "node:path";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyAnalyzer } from "../../../tools/policy/policyAnalyzer";
import { resolvePolicyConfig } from "../../../tools/policy/policyConfig";
import { resourcesFromStackExport } from "../../../tools/policy/stackExport";
import { allPolicies, anyResourceRuleChecks } from "../../../policies/rules";
import { typesCheckedBy } from "../../../policies/framework/policyDefinition";
import { StackGraph } from "../../../policies/framework/stackGraph";
import { largeStackExport } from "../../../bench/largeStackExport";
import { compliantStack, HUB_ID } from "../../policies/fixtures";
import { urnOf } from "../../policies/harness";
import { projectRoot } from "../../support/runTool";
import { connectToWorkersAnalyzer } from "../../support/sharedAnalyzers";

const packDir = path.join(projectRoot, "policies");

// What makes `npm run policy` fast on a large export must not change what it finds.
describe("the policy run on a large stack", () => {
  let analyzer: PolicyAnalyzer;
  beforeAll(async () => {
    // This worker's server when the run started one (test/support/sharedAnalyzers.ts).
    analyzer = connectToWorkersAnalyzer() ?? (await PolicyAnalyzer.start(packDir));
    await analyzer.configure(resolvePolicyConfig({}, await analyzer.info()));
  });
  afterAll(() => analyzer.close());

  it("every resource rule declares the types it checks, so leaving other types out of Analyze loses nothing", () => {
    const resourceRules = allPolicies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);
    expect(resourceRules.length).toBeGreaterThan(0);
    for (const rule of resourceRules) expect(typesCheckedBy(rule)).toBeDefined();
    expect(anyResourceRuleChecks("azure-native:notificationhubs:NotificationHub")).toBe(true);
    expect(anyResourceRuleChecks("azure-native:notificationhubs/v20231001preview:NotificationHub")).toBe(true);
    expect(anyResourceRuleChecks("azure-native:web:WebApp")).toBe(true);
    expect(anyResourceRuleChecks("azure-native:compute:Disk")).toBe(false);
  });

  it("finds the same violations, in the same order, with and without the type filter and with calls pipelined", async () => {
    const resources = resourcesFromStackExport(largeStackExport(400, 10));
    const everything = await analyzer.analyze(resources);
    const filtered = await analyzer.analyze(resources, anyResourceRuleChecks);
    expect(filtered).toEqual(everything);
    // 10 push stacks, each linked and sending chat through Event Grid without a declared path.
    expect(everything.filter((d) => d.policyName === "no-duplicate-chat-push")).toHaveLength(10);
    // Per-resource findings come in resource order, whatever order the answers arrived in.
    const order = resources.map((r) => r.urn);
    const perResource = everything.filter((d) => allPolicies.find((p) => p.name === d.policyName && "validateResource" in p));
    const positions = perResource.map((d) => order.indexOf(d.urn));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("finds a link's hub by resource id among thousands of resources, case-insensitively", () => {
    const stack = compliantStack("prod");
    const hubs = Array.from({ length: 3000 }, (_, i) => ({
      type: "azure-native:notificationhubs:NotificationHub",
      name: `hub-${i}`,
      urn: urnOf({ ...stack.hub, name: `hub-${i}` }),
      props: { id: `${HUB_ID}-${i}` },
      dependencies: [],
      propertyDependencies: {},
    }));
    const link = {
      type: stack.link.type,
      name: "link",
      urn: urnOf(stack.link),
      props: { notificationHubId: `${HUB_ID}-2999`.toUpperCase() },
      dependencies: [],
      propertyDependencies: {},
    };
    const graph = new StackGraph([...hubs, link]);
    expect(graph.hubsOfLink(link).map((h) => h.name)).toEqual(["hub-2999"]);
  });
});
