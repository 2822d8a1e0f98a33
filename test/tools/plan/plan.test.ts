import * as fs from "node:fs";
import * as path from "node:path";
import { apnsP8 } from "../../support/keys";
import { runTool, projectRoot } from "../../support/runTool";
import { stackDirWith } from "../../support/stackDir";
import { committedPlan } from "../../support/committedPlan";

const root = projectRoot;

const plan = (...args: string[]) => runTool("plan", ...args);

describe("npm run plan", () => {
  it("prints the dev stack's resource tree, dependencies and outputs, secrets masked", async () => {
    const { code, stdout } = await committedPlan();
    expect(code).toBe(0);
    expect(stdout).toMatch(/Plan for stack 'dev'/);
    expect(stdout).toMatch(/\+ azure-native:notificationhubs:NotificationHubAuthorizationRule {2}acsnotif-dev-send/);
    expect(stdout).toMatch(/rights: \["Send"\]/);
    expect(stdout).toMatch(/apnsCredential: \[secret\]/);
    expect(stdout).toMatch(/depends on: .*acsnotif-dev-send \(NotificationHubAuthorizationRule\)/);
    // No key is an output: the doctor reads it from the rule with the operator's identity.
    expect(stdout).toMatch(/hubSendRuleId: \(known after deploy\)/);
    expect(stdout).not.toMatch(/ConnectionString: \[secret\]/);
    expect(stdout).not.toMatch(/SharedAccessKey=/);
    // What the link resource cannot say at delete time, the plan says up front.
    expect(stdout).toMatch(/acsnotif-dev-link\n(?:.*\n)*?\s+note: ARM has no unlink/);
  });

  it("shows for staging one event per Event Grid delivery, and what only Azure can tell as not known yet", async () => {
    const { code, stdout } = await committedPlan("--stack", "staging", "--json");
    expect(code).toBe(0);
    const resources = JSON.parse(stdout).resources as { type: string; inputs: Record<string, unknown> }[];
    const subscription = resources.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription")!;
    expect(subscription.inputs.destination).toEqual({
      endpointType: "AzureFunction",
      maxEventsPerBatch: 1,
      preferredBatchSizeInKilobytes: 64,
      resourceId: "(known after deploy)", // the function's ARM id exists once the app does
    });
    expect(subscription.inputs.filter).toMatchObject({ includedEventTypes: expect.any(Array) });
    // The settings hold the Key Vault reference of a secret version the deploy writes: not known yet, and
    // no secret (no key passes through the program), so a reviewer reads every other setting.
    const settings = resources.find((r) => r.type === "azure-native:web:WebAppApplicationSettings")!;
    expect(settings.inputs.properties).toMatchObject({
      NOTIFICATION_HUB_CONNECTION_STRING: "(known after deploy)",
      PUSH_PLATFORMS: "apple,fcmv1",
    });
    // The app's generated name is not known before it exists; the bootstrap's resource group is.
    expect(settings.inputs.name).toBe("(known after deploy)");
    expect(settings.inputs.resourceGroupName).toBe("acsnotif-staging-rg");
    // What the mocks invent never shows as if it were real.
    expect(stdout).not.toMatch(/00000000-0000-0000-0000-000000000000|rg[0-9a-f]{7}"|SharedAccessKey/);
  });

  it("lists resources in creation order, wraps long settings instead of cutting them, shows no local path", async () => {
    const { code, stdout } = await committedPlan("--no-policy");
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/Policy pack/);
    expect((await committedPlan()).stdout).toMatch(/Policy pack acs-notifications@[\d.]+ on stack 'dev'/);
    const order = [...stdout.matchAll(/^ {2}\+ \S+ {2}(\S+)$/gm)].map((m) => m[1]);
    expect(order.indexOf("acsnotif-dev-ns")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("acsnotif-dev-ns")).toBeLessThan(order.indexOf("acsnotif-dev-hub"));
    expect(order.indexOf("acsnotif-dev-hub")).toBeLessThan(order.indexOf("acsnotif-dev-send"));
    expect(order.indexOf("acsnotif-dev-send")).toBeLessThan(order.indexOf("acsnotif-dev-link"));
    expect(stdout).not.toMatch(/\.\.\.$/m);
    expect(stdout).toMatch(/siteConfig: \{\n\s+"/);
    expect(stdout).toMatch(/packagePath: \.build\/push-sender-[0-9a-f]+\.zip/);
    expect(stdout).not.toContain(root);
  });

  it("prints a machine-readable plan with --json", async () => {
    const { code, stdout } = await committedPlan("--stack", "dev", "--json");
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.stack).toBe("dev");
    const link = parsed.resources.find((r: { type: string }) => r.type === "pulumi-nodejs:dynamic:NotificationHubLink");
    expect(link.inputs.authorizationRuleId).toBe("(known after deploy)");
    expect(link.inputs.connectionString).toBeUndefined();
    expect(link.inputs.__provider).toBeUndefined();
    expect(parsed.outputs.hubSendConnectionString).toBeUndefined();
    expect(parsed.outputs.hubSendRuleId).toBe("(known after deploy)");
  });

  it("fails with every config problem, naming each key, and never prints a secret", async () => {
    const dir = stackDirWith(
      [
        "config:",
        "  acs-notifications:location: West Europe",
        "  acs-notifications:namePrefix: acs",
        "  acs-notifications:dataLocation: Mars",
        "  acs-notifications:tags: { environment: dev }",
        "  acs-notifications:apns: { keyId: short, teamId: TEAM123456, bundleId: com.contoso.chat, environment: sandbox }",
        `  acs-notifications:apnsToken: ${JSON.stringify(apnsP8)}`,
      ].join("\n"),
    );
    const { code, stdout, stderr } = await plan("--stack", "bad", "--dir", dir);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    for (const key of ["location", "dataLocation", "tags.owner", "tags.costCenter", "apns.keyId", "apnsToken"]) {
      expect(stderr).toContain(`acs-notifications:${key}:`);
    }
    expect(stderr).toMatch(/apnsToken: holds a secret in plain text/);
    expect(stderr).not.toContain(apnsP8.split("\n")[1]);
    expect(stderr).not.toMatch(/\n\s+at /); // a config error is not a crash: no stack trace
  });

  it("creates the stack's own resource group, first, when no existing one is named", async () => {
    const dev = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
    const withoutGroup = dev.replace(/^ {2}acs-notifications:existingResourceGroup: .*\n/m, "");
    expect(withoutGroup).not.toEqual(dev);
    const { code, stdout } = await plan("--stack", "bad", "--dir", stackDirWith(withoutGroup), "--no-policy");
    expect(code).toBe(0);
    const order = [...stdout.matchAll(/^ {2}\+ (\S+) {2}(\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    const group = order.indexOf("azure-native:resources:ResourceGroup acsnotif-dev-rg");
    expect(group).toBeGreaterThanOrEqual(0);
    expect(group).toBeLessThan(order.indexOf("azure-native:notificationhubs:Namespace acsnotif-dev-ns"));
    expect(stdout).toMatch(/acsnotif-dev-ns\n(?:.*\n)*?\s+resourceGroupName: \(known after deploy\)/);
  });

  it("takes a webhook that pushes chat (chatPush: function) as a declared path: no duplicate-chat advisory", async () => {
    const dev = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
    const webhook = dev
      .replace("acs-notifications:delivery: function", "acs-notifications:delivery: webhook")
      .replace(/^ {2}acs-notifications:registration:\n(?: {4}.*\n)+/m, "")
      .concat("  acs-notifications:webhookUrl:\n    secure: v1:bm90LWRlY3J5cHRlZC1vZmZsaW5l\n");
    const { code, stdout, stderr } = await plan("--stack", "bad", "--dir", stackDirWith(webhook), "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      resources: { type: string; inputs: Record<string, unknown> }[];
      policy: { violations: { policy: string }[] };
    };
    const component = result.resources.find((r) => r.type === "acs-notifications:delivery:PushDelivery");
    expect(component?.inputs).toMatchObject({ deliveryMode: "webhook", chatPush: "function" });
    expect(result.policy.violations.map((v) => v.policy)).not.toContain("no-duplicate-chat-push");
  });

  it("names the committed stacks when the stack does not exist", async () => {
    const { code, stderr } = await plan("--stack", "nope");
    expect(code).toBe(1);
    expect(stderr).toMatch(/No stack file Pulumi\.nope\.yaml; committed stacks: .*dev/);
  });

  it("rejects an unknown argument with usage", async () => {
    const { code, stderr } = await plan("--stak", "dev");
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option .--stak.\n(?:.*\n)*?usage: npm run -s plan/);
  });
});
