import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compliantStack } from "./policies/fixtures";
import { stackExport } from "./support/stackExport";
import { apnsP8 } from "./support/keys";
import { projectRoot, runTool } from "./support/runTool";

// One canary, planted wherever a secret can sit in what the tools read; no tool output may ever hold it.
const CANARY = "Q2FuYXJ5LXNlY3JldC1kby1ub3QtcHJpbnQ";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "acs-canary-"));
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

function expectNoCanary(...outputs: string[]) {
  for (const output of outputs) {
    expect(output).not.toContain(CANARY);
    expect(output).not.toContain(apnsP8.split("\n")[1]);
  }
}

describe("no tool prints a secret", () => {
  it("plan: secrets set in plain text, a webhook with its key, and a config error elsewhere", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stack-"));
    fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const dev = fs.readFileSync(path.join(projectRoot, "Pulumi.dev.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "Pulumi.canary.yaml"),
      dev.replace(
        /^config:\n/m,
        [
          "config:",
          `  acs-notifications:apnsToken: ${JSON.stringify(apnsP8)}`,
          `  acs-notifications:alertWebhookUrl: https://hooks.example.com/services/${CANARY}`,
          `  acs-notifications:webhookUrl: "https://push.example.com/send?code=${CANARY}"`,
          "  acs-notifications:namePrefix-typo: x",
          "",
        ].join("\n"),
      ),
    );
    for (const format of [[], ["--json"]]) {
      const { code, stdout, stderr } = await runTool("plan", "--stack", "canary", "--dir", dir, ...format);
      expect(code).toBe(1);
      expect(stderr + stdout).toMatch(/holds a secret in plain text/);
      expectNoCanary(stdout, stderr);
    }
  });

  it("policy: a --show-secrets export with violations, in every report format", async () => {
    const stack = compliantStack("prod");
    stack.rule.props.rights = ["Send", "Listen", "Manage"];
    stack.hub.props.apnsCredential = {
      ...(stack.hub.props.apnsCredential as object),
      apnsCertificate: CANARY,
      certificateKey: CANARY,
    };
    const exported = stackExport(Object.values(stack)) as { deployment: { resources: { inputs?: Record<string, unknown> }[] } };
    // A link as state written by an earlier version holds it: the key, as a secret input.
    const link = exported.deployment.resources.find((r) => r.inputs?.authorizationRuleId)!;
    link.inputs!.connectionString = {
      [SIG]: SECRET,
      plaintext: JSON.stringify(`Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${CANARY}`),
    };
    const functionApp = exported.deployment.resources.find((r) => (r.inputs?.kind as string)?.startsWith("functionapp"))!;
    (functionApp.inputs!.siteConfig as { appSettings: unknown[] }).appSettings.push({
      name: "NOTIFICATION_HUB_CONNECTION_STRING",
      value: `Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${CANARY}`,
    });
    const state = path.join(tmp, "state.json");
    fs.writeFileSync(state, JSON.stringify(exported));
    for (const format of ["text", "markdown", "json", "sarif"]) {
      const { code, stdout, stderr } = await runTool("policy", "--state", state, "--format", format);
      expect(code).toBe(1);
      expect(stdout).toMatch(/apns-token-auth-required/);
      expectNoCanary(stdout, stderr);
    }
  });

  it("doctor: an outputs file holding the Send connection string (as earlier versions exported it), read and rejected", async () => {
    const outputs = path.join(tmp, "outputs.json");
    fs.writeFileSync(outputs, JSON.stringify({ hubSendConnectionString: `SharedAccessKey=${CANARY}` }));
    const { code, stdout, stderr } = await runTool("doctor", "--outputs", outputs);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no valid ACS id/);
    expectNoCanary(stdout, stderr);
  });
});
