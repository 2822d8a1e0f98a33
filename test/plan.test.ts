import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { apnsP8 } from "./support/keys";
import { runTool } from "./support/runTool";

const root = path.resolve(__dirname, "..");

const plan = (...args: string[]) => runTool("plan.ts", ...args);

function stackDirWith(stackYaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-plan-"));
  fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), stackYaml);
  return dir;
}

describe("npm run plan", () => {
  it("prints the dev stack's resource tree, dependencies and outputs, secrets masked", async () => {
    const { code, stdout } = await plan();
    expect(code).toBe(0);
    expect(stdout).toMatch(/Plan for stack 'dev'/);
    expect(stdout).toMatch(/\+ azure-native:notificationhubs:NotificationHubAuthorizationRule {2}acsnotif-dev-send/);
    expect(stdout).toMatch(/rights: \["Send"\]/);
    expect(stdout).toMatch(/apnsCredential: \[secret\]/);
    expect(stdout).toMatch(/depends on: .*acsnotif-dev-send \(NotificationHubAuthorizationRule\)/);
    expect(stdout).toMatch(/hubSendConnectionString: \[secret\]/);
    expect(stdout).not.toMatch(/SharedAccessKey=/);
    // What the link resource cannot say at delete time, the plan says up front.
    expect(stdout).toMatch(/acsnotif-dev-link\n(?:.*\n)*?\s+note: ARM has no unlink/);
  });

  it("shows for staging one event per Event Grid delivery and a versioned Key Vault reference", async () => {
    const { code, stdout } = await plan("--json", "--stack", "staging");
    expect(code).toBe(0);
    const resources = JSON.parse(stdout).resources as { type: string; inputs: Record<string, unknown> }[];
    const subscription = resources.find((r) => r.type === "azure-native:eventgrid:SystemTopicEventSubscription")!;
    expect(subscription.inputs.destination).toMatchObject({ endpointType: "AzureFunction", maxEventsPerBatch: 1 });
    const settings = resources.find((r) => r.type === "azure-native:web:WebAppApplicationSettings")!;
    expect((settings.inputs.properties as Record<string, string>).NOTIFICATION_HUB_CONNECTION_STRING).toMatch(
      /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^/]+\/secrets\/notification-hub-send\/[0-9a-f]{32}\)$/,
    );
  });

  it("prints a machine-readable plan with --json", async () => {
    const { code, stdout } = await plan("--json", "--stack", "dev");
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.stack).toBe("dev");
    const link = parsed.resources.find((r: { type: string }) => r.type === "pulumi-nodejs:dynamic:NotificationHubLink");
    expect(link.inputs.connectionString).toBe("[secret]");
    expect(link.inputs.__provider).toBeUndefined();
    expect(parsed.outputs.hubSendConnectionString).toBe("[secret]");
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
