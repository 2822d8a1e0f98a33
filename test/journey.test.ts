import { NotificationHubsClient } from "@azure/notification-hubs";
import { hubInstallationId, InstallationClient, InstallationRegistrar, RegistrarLog } from "../function/src/registration";
import { createHubClient } from "../function/src/hubClient";
import { PushSender, SenderLog } from "../function/src/pushSender";
import { tagForUser, testSend } from "../tools/doctor/testSend";
import { FakeNotificationHubs } from "./support/fakeNotificationHubs";
import { publishedAppleInstallation, publishedEvent } from "./support/azureFixtures";
import { LOCALHOST_CA } from "./support/tlsFake";

/**
 * Device to device, offline: a device registers through the endpoint (as the app's back end calls
 * it), Azure's published chat event for that user reaches the push sender, the hub records an APNs
 * and an FCM v1 send whose tag is the one that installation carries, and the doctor's test send
 * finds the installations. This is the path with no step a team has to hand-roll.
 */
const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const principal = Buffer.from(JSON.stringify({ auth_typ: "aad", claims: [{ typ: "azp", val: BACK_END }] })).toString("base64");
const quiet: SenderLog & RegistrarLog = { info() {}, warn() {}, error() {} };

describe("a chat push, from device registration to the hub", () => {
  const hub = new FakeNotificationHubs();
  beforeAll(() => hub.start());
  afterAll(() => hub.stop());

  it("reaches exactly the registered devices of the recipient, on both platforms", async () => {
    const event = publishedEvent("chatMessageReceived");
    const recipient = (event.data.recipientCommunicationIdentifier as { rawId: string }).rawId;
    const sender = (event.data.senderCommunicationIdentifier as { rawId: string }).rawId;
    const clientOptions = { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } };

    // 1. The recipient's iPhone and Android phone, and the sender's phone, register through the endpoint.
    const registrar = new InstallationRegistrar(
      new NotificationHubsClient(hub.connectionString(), "acs-hub", clientOptions) as unknown as InstallationClient,
      [BACK_END],
    );
    const register = (id: string, userId: string, platform: string, pushChannel: string) =>
      registrar.handle("PUT", id, principal, { userId, platform, pushChannel }, quiet);
    const fcmToken = `cR2Xq8sT0uV:APA91b${"Q".repeat(140)}`;
    expect((await register("iphone-1", recipient, "apns", publishedAppleInstallation().DUMMY_DEVICE)).status).toBe(200);
    expect((await register("pixel-1", recipient, "fcmv1", fcmToken)).status).toBe(200);
    expect((await register("pixel-2", sender, "fcmv1", `${fcmToken}x`)).status).toBe(200);

    // 2. ACS delivers the published ChatMessageReceived event for the recipient to the push sender.
    const pushSender = new PushSender(createHubClient(hub.connectionString(), "acs-hub", clientOptions), {
      platforms: ["apple", "fcmv1"],
      includePreview: false,
      sendChatMessages: true,
    });
    expect(await pushSender.handle(event, quiet)).toBe("sent");

    // 3. The hub got one APNs and one FCM v1 send, each tagged with the recipient's installations' tag.
    // The hub keeps each installation under an id of its user's (hubInstallationId).
    const recipientTag = hub.installations.get(hubInstallationId(recipient, "iphone-1"))!.tags[0];
    expect(hub.installations.get(hubInstallationId(recipient, "pixel-1"))!.tags).toEqual([recipientTag]);
    expect(hub.sends.map((s) => [s.format, s.tags]).sort()).toEqual([
      ["apple", recipientTag],
      ["fcmv1", recipientTag],
    ]);
    expect(hub.installations.get(hubInstallationId(sender, "pixel-2"))!.tags).not.toContain(recipientTag);

    // 4. The doctor's test send for that user finds both of the recipient's devices, and not the sender's.
    const summary = await testSend(hub.connectionString(), "acs-hub", tagForUser(recipient), ["apple", "fcmv1"], clientOptions);
    expect(summary.success).toBe(2);
    expect(summary.results.map((r) => [r.platform, r.registrationId]).sort()).toEqual([
      ["apple", hubInstallationId(recipient, "iphone-1")],
      ["fcmv1", hubInstallationId(recipient, "pixel-1")],
    ]);

    // 5. Signing out removes the device: the next test send no longer reaches it.
    expect((await registrar.handle("DELETE", "iphone-1", principal, { userId: recipient }, quiet)).status).toBe(204);
    const after = await testSend(hub.connectionString(), "acs-hub", tagForUser(recipient), ["apple"], clientOptions);
    expect(after.results).toEqual([]);
  });
});
