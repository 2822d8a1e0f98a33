import { startMockRuntime, resolveOutput, ProgramRecording } from "../../../tools/mocks/mockRuntime";
import { fakeRuleConnectionString } from "../../../tools/mocks/azureMocks";
import { PushDelivery, PushDeliveryArgs } from "../../../components/pushDelivery";
import { readAppsSettings, readRegistrationApps, readRegistrationSettings, readSettings } from "../../../function/src/settings";
import { settleRegistrations } from "../../support/settle";

/*
 * The contract between the component and the function: the app settings PushDelivery declares,
 * with their Key Vault references resolved the way App Service resolves them, are what the
 * function's own settings readers accept. A renamed setting or a changed value format on either
 * side fails here instead of in the first invocation after a deployment.
 */

const ACS_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs";
const HUB_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/ns/notificationHubs/chat-hub";
const SEND_RULE_ID = `${HUB_ID}/authorizationRules/send`;
const REGISTER_RULE_ID = `${HUB_ID}/authorizationRules/register`;
// What each rule's listKeys answers, hence what the deploying process writes into the vault.
const SEND_CS = fakeRuleConnectionString(SEND_RULE_ID);
const REGISTER_CS = fakeRuleConnectionString(REGISTER_RULE_ID);
const CLIENT_ID = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";

const args = (
  delivery: Partial<Extract<PushDeliveryArgs["delivery"], { mode: "function" }>> = {},
  chatPush?: PushDeliveryArgs["chatPush"],
): PushDeliveryArgs => ({
  chatPush,
  resourceGroupName: "rg",
  location: "westeurope",
  globalNamePrefix: "acsnotif-dev",
  communicationServiceId: ACS_ID,
  hubName: "chat-hub",
  hubSendRuleId: SEND_RULE_ID,
  hubRegistrationRuleId: REGISTER_RULE_ID,
  eventTypes: ["Microsoft.Communication.ChatMessageReceived"],
  delivery: {
    mode: "function",
    functionPackage: { path: "/tmp/push-sender.zip", sha256: "a".repeat(64), bytes: 1000 },
    platforms: ["apple", "fcmv1"],
    ...delivery,
  } as PushDeliveryArgs["delivery"],
});

async function build(deliveryArgs: PushDeliveryArgs): Promise<ProgramRecording> {
  const recording = startMockRuntime({ stack: "dev" });
  const delivery = new PushDelivery("push", deliveryArgs);
  await resolveOutput(delivery.subscription.id);
  await settleRegistrations();
  return recording;
}

/** The function app's environment as App Service gives it: every setting a string, Key Vault references resolved. */
function environmentOf(r: ProgramRecording): NodeJS.ProcessEnv {
  const settings = r.one("azure-native:web:WebAppApplicationSettings").inputs.properties as Record<string, unknown>;
  const secrets = new Map(
    r
      .byType("pulumi-nodejs:dynamic:HubKeySecret")
      .map((s) => [s.inputs.secretName as string, fakeRuleConnectionString(s.inputs.authorizationRuleId as string)]),
  );
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(settings)) {
    expect(typeof value).toBe("string");
    const reference = /^@Microsoft\.KeyVault\(SecretUri=https:\/\/[^/]+\/secrets\/([^/]+)\/[0-9a-f]{32}\)$/.exec(value as string);
    if (reference) expect(secrets.has(reference[1])).toBe(true);
    env[name] = reference ? secrets.get(reference[1]) : (value as string);
  }
  return env;
}

describe("the app settings PushDelivery declares are what the function reads", () => {
  it("for the push sender: hub, tier, platforms, preview, chat and dead-letter settings", async () => {
    const env = environmentOf(await build(args({ platforms: ["fcmv1"], messagePreview: true, hubSku: "Standard" }, "native")));
    expect(readSettings(env)).toEqual({
      connectionString: SEND_CS,
      hubName: "chat-hub",
      hubSku: "Standard",
      platforms: ["fcmv1"],
      includePreview: true,
      sendChatMessages: false,
      deadLetterUrl: expect.stringMatching(/^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\/dead-letter$/),
    });
  });

  it("with the defaults the component chooses", async () => {
    expect(readSettings(environmentOf(await build(args())))).toMatchObject({
      hubSku: "Free",
      platforms: ["apple", "fcmv1"],
      includePreview: false,
      sendChatMessages: true,
    });
  });

  it("for the registration endpoint: its own Listen key and the admitted client applications", async () => {
    const registration = { audience: "6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b", allowedClientApplications: [CLIENT_ID] };
    const env = environmentOf(await build(args({ registration })));
    expect(readRegistrationSettings(env)).toEqual({
      connectionString: REGISTER_CS,
      hubName: "chat-hub",
      allowedClientIds: [CLIENT_ID],
    });
  });

  it("for several apps and partitions: PUSH_APPS and each partition's own Send and Listen keys", async () => {
    const hub = (app: string, p: number) => {
      const id = HUB_ID.replace("chat-hub", `${app}-hub-${p}`);
      return {
        hubName: `${app}-hub-${p}`,
        sendRuleId: `${id}/authorizationRules/send`,
        registrationRuleId: `${id}/authorizationRules/register`,
      };
    };
    const registration = { audience: "6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b", allowedClientApplications: [CLIENT_ID] };
    const apps = [
      {
        app: "customer",
        platforms: ["apple", "fcmv1"] as const,
        hubSku: "Standard" as const,
        messagePreview: false,
        growingFrom: 2,
        hubs: [0, 1, 2].map((p) => hub("customer", p)),
      },
      { app: "staff", platforms: ["apple"] as const, hubSku: "Basic" as const, messagePreview: true, hubs: [hub("staff", 0)] },
    ];
    const env = environmentOf(
      await build({
        ...args({ registration, apps }),
        hubName: "customer-hub-0",
        hubSendRuleId: apps[0].hubs[0].sendRuleId,
        hubRegistrationRuleId: apps[0].hubs[0].registrationRuleId,
      }),
    );
    const send = readAppsSettings(env)!;
    expect(
      send.map((a) => [a.name, a.platforms, a.hubSku, a.messagePreview, a.growingFrom, a.partitions.map((p) => p.hubName)]),
    ).toEqual([
      ["customer", ["apple", "fcmv1"], "Standard", false, 2, ["customer-hub-0", "customer-hub-1", "customer-hub-2"]],
      ["staff", ["apple"], "Basic", true, undefined, ["staff-hub-0"]],
    ]);
    // Each partition's Send key is its own rule's, through its own Key Vault secret.
    expect(send[0].partitions.map((p) => p.connectionString)).toEqual(
      [0, 1, 2].map((p) => fakeRuleConnectionString(hub("customer", p).sendRuleId)),
    );
    expect(send[1].partitions[0].connectionString).toBe(fakeRuleConnectionString(hub("staff", 0).sendRuleId));
    const listen = readRegistrationApps(env)!;
    expect(listen[1].partitions[0].connectionString).toBe(fakeRuleConnectionString(hub("staff", 0).registrationRuleId));
    // The linked hub's one-hub settings stay, for the reader every stack has.
    expect(readSettings(env).hubName).toBe("customer-hub-0");
  });
});
