import { NotificationHubsClient } from "@azure/notification-hubs";
import { createHubClient } from "../../function/src/hubClient";
import { partitionOf } from "../../function/src/partitions";
import { PushSender, SenderRoute } from "../../function/src/pushSender";
import { InstallationClient, InstallationRegistrar, RegistrarApp } from "../../function/src/registration";
import { userTag } from "../../function/src/tags";
import { publishedAppleInstallation, publishedEvent } from "../support/azureFixtures";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { LOCALHOST_CA } from "../support/tlsFake";

/**
 * Two apps on one ACS resource, end to end and offline: devices of several users register through
 * the real endpoint code for the customer app (3 partitions) and the staff app (1 hub), each
 * partition a local Notification Hubs; one chat event goes through the real push sender; the hubs
 * show exactly one send per app, each to the recipient's partition only.
 */
const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const principal = Buffer.from(JSON.stringify({ auth_typ: "aad", claims: [{ typ: "azp", val: BACK_END }] })).toString("base64");
const options = { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } };
const APNS = publishedAppleInstallation().DUMMY_DEVICE;
const FCM = `cZ3r0Gk8T0a:APA91b${"x7Kq2LmN9pQ4rS6tU8vW0yZ1aB3cD5eF7gH9iJ1kL3mN5oP7qR9sT1uV3wX5yZ7".repeat(2)}`;

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function chatEventFor(user: string, id: string) {
  const event = publishedEvent("chatMessageReceived");
  return { ...event, id, data: { ...event.data, recipientCommunicationIdentifier: { rawId: user } } };
}

describe("two apps, one with three partitions: registration and one chat event", () => {
  const customerHubs = [new FakeNotificationHubs(), new FakeNotificationHubs(), new FakeNotificationHubs()];
  const staffHub = new FakeNotificationHubs();
  const all = [...customerHubs, staffHub];
  let registrar: InstallationRegistrar;
  let sender: PushSender;

  beforeAll(async () => {
    await Promise.all(all.map((h) => h.start()));
    const installationClient = (hub: FakeNotificationHubs) =>
      new NotificationHubsClient(hub.connectionString(), "acs-hub", options) as unknown as InstallationClient;
    const apps: RegistrarApp[] = [
      { name: "customer", platforms: ["apns", "fcmv1"], partitions: customerHubs.map(installationClient) },
      { name: "staff", platforms: ["apns"], partitions: [installationClient(staffHub)] },
    ];
    registrar = new InstallationRegistrar(apps, [BACK_END]);
    const routes: SenderRoute[] = [
      {
        app: "customer",
        partitions: customerHubs.map((h) => createHubClient(h.connectionString(), "acs-hub", options)),
        platforms: ["apple", "fcmv1"],
        includePreview: false,
      },
      {
        app: "staff",
        partitions: [createHubClient(staffHub.connectionString(), "acs-hub", options)],
        platforms: ["apple"],
        includePreview: true,
      },
    ];
    sender = new PushSender(routes, { sendChatMessages: true });
  });
  afterAll(() => Promise.all(all.map((h) => h.stop())));

  const register = (user: string, app: string, device: string, platform: "apns" | "fcmv1") =>
    registrar.handle(
      "PUT",
      device,
      principal,
      { userId: user, app, platform, pushChannel: platform === "apns" ? APNS : FCM },
      silent,
    );

  it("writes every device of a user in an app to that user's partition, and one send per app reaches it", async () => {
    const users = Array.from({ length: 12 }, (_, i) => `8:acs:journey-user-${i}`);
    for (const [i, user] of users.entries()) {
      expect((await register(user, "customer", `phone-${i}`, "apns")).status).toBe(200);
      expect((await register(user, "customer", `tablet-${i}`, "fcmv1")).status).toBe(200);
      expect((await register(user, "staff", `work-${i}`, "apns")).status).toBe(200);
    }
    // Each user's customer devices are all in one partition — the one the partition function names.
    for (const user of users) {
      const tag = userTag(user);
      const holding = customerHubs.map((h) => [...h.installations.values()].filter((i) => i.tags.includes(tag)).length);
      expect(holding).toEqual([0, 1, 2].map((p) => (p === partitionOf(tag, 3) ? 2 : 0)));
    }
    // The users are spread: more than one partition holds someone.
    expect(customerHubs.filter((h) => h.installations.size > 0).length).toBeGreaterThan(1);

    const recipient = users[5];
    const tag = userTag(recipient);
    const before = all.map((h) => h.sends.length);
    expect(await sender.handle(chatEventFor(recipient, "journey-event-1"), silent)).toBe("sent");
    const sent = all.map((h, i) => h.sends.slice(before[i]));
    // The customer app: its two platforms, to the recipient's partition only; the staff app: one send (iOS only).
    const partition = partitionOf(tag, 3);
    expect(sent.map((s) => s.map((x) => x.format).sort())).toEqual([
      ...[0, 1, 2].map((p) => (p === partition ? ["apple", "fcmv1"] : [])),
      ["apple"],
    ]);
    for (const send of sent.flat()) expect(send.tags).toBe(tag);
  });

  it("refuses a device the app has no credential for, and an app the stack does not have", async () => {
    const user = "8:acs:journey-refused";
    const fcmOnStaff = await register(user, "staff", "tablet", "fcmv1");
    expect(fcmOnStaff).toEqual({
      status: 400,
      body: { error: "app staff has no fcmv1 credential: its devices register as apns" },
    });
    const unknown = await register(user, "kiosk", "kiosk-1", "apns");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/app must name one of this stack's apps: customer, staff/);
    const none = await registrar.handle("PUT", "x", principal, { userId: user, platform: "apns", pushChannel: APNS }, silent);
    expect(none.status).toBe(400);
    expect(all.some((h) => [...h.installations.values()].some((i) => i.tags.includes(userTag(user))))).toBe(false);
  });

  it("keeps one app's pushes going when another app's hub fails, and does not push the delivered app twice on the retry", async () => {
    const user = "8:acs:journey-isolated";
    await register(user, "customer", "phone", "apns");
    await register(user, "staff", "work", "apns");
    const partition = partitionOf(userTag(user), 3);
    staffHub.failNext(503);
    const before = all.map((h) => h.sends.length);
    await expect(sender.handle(chatEventFor(user, "journey-event-2"), silent)).rejects.toThrow(/503/);
    // The customer app got its pushes although the staff hub failed.
    expect(customerHubs[partition].sends.length - before[partition]).toBe(2);
    // Event Grid delivers the event again: only the staff app, which had failed, is pushed now.
    await sender.handle(chatEventFor(user, "journey-event-2"), silent);
    expect(customerHubs[partition].sends.length - before[partition]).toBe(2);
    expect(staffHub.sends.length - before[3]).toBe(1);
  });
});
