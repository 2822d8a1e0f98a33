import * as pulumi from "@pulumi/pulumi";
import { startMockRuntime, resolveOutput, ProgramRecording } from "../../tools/mocks/mockRuntime";
import { NotificationHub, NotificationHubArgs } from "../../components/notificationHub";
import { settleRegistrations } from "../support/settle";

const HUB = "azure-native:notificationhubs:NotificationHub";
const RULE = "azure-native:notificationhubs:NotificationHubAuthorizationRule";
const NAMESPACE = "azure-native:notificationhubs:Namespace";

const happyArgs: NotificationHubArgs = {
  resourceGroupName: "rg-push",
  location: "westeurope",
  sku: "Standard",
  tags: { environment: "prod" },
  apns: {
    keyId: "ABCDE12345",
    teamId: "TEAM123456",
    bundleId: "com.contoso.chat",
    environment: "production",
    token: "p8-body",
  },
  fcmV1: { projectId: "contoso-chat", clientEmail: "push@contoso-chat.iam.gserviceaccount.com", privateKey: "pem-key" },
};

async function build(args: NotificationHubArgs): Promise<{ recording: ProgramRecording; hub: NotificationHub }> {
  const recording = startMockRuntime({ stack: "test" });
  const hub = new NotificationHub("push", args);
  await resolveOutput(hub.sendRuleId);
  await settleRegistrations();
  return { recording, hub };
}

const plain = (v: unknown) => (pulumi.runtime.isRpcSecret(v) ? pulumi.runtime.unwrapRpcSecret(v) : v);

describe("NotificationHub", () => {
  it("creates a namespace, hub and Send rule, parented to the component and named from it", async () => {
    const { recording } = await build(happyArgs);
    const component = recording.one("acs-notifications:notificationhubs:NotificationHub");
    for (const [type, name] of [
      [NAMESPACE, "push-ns"],
      [HUB, "push-hub"],
      [RULE, "push-send"],
      [RULE, "push-register"],
    ]) {
      const child = recording.byType(type).find((r) => r.name === name)!;
      expect(child.name).toBe(name);
      expect(child.parent).toBe(component.urn);
    }
    expect(recording.one(NAMESPACE).inputs).toMatchObject({
      namespaceType: "NotificationHub",
      sku: { name: "Standard" },
      location: "westeurope",
    });
  });

  it("configures APNs with token fields only and never a certificate field", async () => {
    const { recording } = await build(happyArgs);
    const apns = plain(recording.one(HUB).inputs.apnsCredential) as Record<string, unknown>;
    expect(apns).toEqual({
      keyId: "ABCDE12345",
      appId: "TEAM123456",
      appName: "com.contoso.chat",
      endpoint: "https://api.push.apple.com:443/3/device",
      token: "p8-body",
    });
    for (const certificateField of ["apnsCertificate", "certificateKey", "thumbprint"])
      expect(apns).not.toHaveProperty(certificateField);
  });

  it("gives the hub the gateway of the APNs environment it is told", async () => {
    const sandbox = await build({ ...happyArgs, apns: { ...happyArgs.apns!, environment: "sandbox" } });
    expect(plain(sandbox.recording.one(HUB).inputs.apnsCredential)).toMatchObject({
      endpoint: "https://api.development.push.apple.com:443/3/device",
    });
  });

  it("configures FCM v1 and never the legacy GCM credential", async () => {
    const { recording } = await build(happyArgs);
    const inputs = recording.one(HUB).inputs;
    expect(plain(inputs.fcmV1Credential)).toEqual({
      projectId: "contoso-chat",
      clientEmail: "push@contoso-chat.iam.gserviceaccount.com",
      privateKey: "pem-key\n",
    });
    expect(inputs.gcmCredential).toBeUndefined();
  });

  it("hands the hub an FCM key pasted with literal \\n escapes as real PEM lines", async () => {
    const pasted = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\nhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n";
    const { recording } = await build({ ...happyArgs, fcmV1: { ...happyArgs.fcmV1!, privateKey: pasted } });
    const key = (plain(recording.one(HUB).inputs.fcmV1Credential) as { privateKey: string }).privateKey;
    expect(key).toBe("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
    expect(key).not.toContain("\\n");
  });

  it("keeps credentials secret in inputs and in state", async () => {
    const { recording } = await build(happyArgs);
    const hub = recording.one(HUB);
    expect(pulumi.runtime.isRpcSecret(hub.inputs.apnsCredential)).toBe(true);
    expect(pulumi.runtime.isRpcSecret(hub.inputs.fcmV1Credential)).toBe(true);
    expect(hub.additionalSecretOutputs).toEqual(expect.arrayContaining(["apnsCredential", "fcmV1Credential"]));
    for (const rule of recording.byType(RULE))
      expect(rule.additionalSecretOutputs).toEqual(expect.arrayContaining(["primaryKey", "secondaryKey"]));
  });

  it("grants the link's rule exactly Send, and the registration rule exactly Listen", async () => {
    const { recording } = await build(happyArgs);
    const rights = Object.fromEntries(recording.byType(RULE).map((r) => [r.name, r.inputs.rights]));
    expect(rights).toEqual({ "push-send": ["Send"], "push-register": ["Listen"] });
  });

  it("reads no key: it hands out the rules' ids, and the providers that need a key read it when they deploy", async () => {
    const { recording, hub } = await build(happyArgs);
    const sendRuleId = await resolveOutput(hub.sendRuleId);
    const registrationRuleId = await resolveOutput(hub.registrationRuleId);
    expect(sendRuleId).toEqual({
      value: expect.stringMatching(/\/notificationHubs\/push-hub[0-9a-f]{7}\/authorizationRules\/push-send[0-9a-f]{7}$/i),
      secret: false,
      known: true,
    });
    expect(registrationRuleId.value).toMatch(/\/authorizationRules\/push-register[0-9a-f]{7}$/i);
    // No listKeys (or any other key-reading invoke) in the program: the preview identity needs none.
    expect(recording.invokes.map((i) => i.token).filter((t) => /list.*Keys/i.test(t))).toEqual([]);
  });

  it("leaves out a platform that is not configured", async () => {
    const { recording } = await build({ ...happyArgs, fcmV1: undefined });
    expect(recording.one(HUB).inputs.fcmV1Credential).toBeUndefined();
    expect(plain(recording.one(HUB).inputs.apnsCredential)).toMatchObject({ keyId: "ABCDE12345" });
  });

  it("refuses a hub without any platform credentials", () => {
    startMockRuntime({ stack: "test" });
    expect(() => new NotificationHub("empty", { ...happyArgs, apns: undefined, fcmV1: undefined })).toThrow(
      /apns or fcmV1 credentials/,
    );
  });
});
