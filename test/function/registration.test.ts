import { NotificationHubsClient } from "@azure/notification-hubs";
import {
  hubInstallationId,
  InstallationClient,
  InstallationRegistrar,
  readRegistration,
  RegistrarLog,
} from "../../function/src/registration";
import { readRegistrationSettings } from "../../function/src/settings";
import { SETTINGS } from "../../function/src/contract";
import { userTag } from "../../function/src/tags";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { publishedAppleInstallation, publishedEvent } from "../support/azureFixtures";
import { LOCALHOST_CA } from "../support/tlsFake";

const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const OTHER_APP = "99999999-8888-7777-6666-555555555555";
/** The x-ms-client-principal header App Service authentication sets for an app-only Entra ID token. */
function principal(clientId: string, claim: "azp" | "appid" = "azp"): string {
  return Buffer.from(
    JSON.stringify({
      auth_typ: "aad",
      claims: [
        { typ: claim, val: clientId },
        { typ: "oid", val: "f0e1d2c3-0000-4000-8000-000000000001" },
      ],
    }),
  ).toString("base64");
}
// Azure's published ACS event names a real-looking user; the SDK's installation test gives the device token.
const USER = (publishedEvent("chatMessageReceived").data.recipientCommunicationIdentifier as { rawId: string }).rawId;
const APNS_TOKEN = publishedAppleInstallation().DUMMY_DEVICE;
const FCM_TOKEN = `fGx1hR9kQ0m7vX2y3Z4a5B:APA91b${"H".repeat(140)}`;

class Log implements RegistrarLog {
  readonly lines: string[] = [];
  info = (m: string) => void this.lines.push(m);
  warn = (m: string) => void this.lines.push(m);
}

describe("device registration against a local Notification Hubs (real @azure/notification-hubs client)", () => {
  const hub = new FakeNotificationHubs();
  let registrar: InstallationRegistrar;
  let log: Log;
  beforeAll(async () => {
    await hub.start();
    const client = new NotificationHubsClient(hub.connectionString(), "acs-hub", {
      tlsOptions: { ca: LOCALHOST_CA },
      retryOptions: { maxRetries: 0 },
    }) as unknown as InstallationClient;
    registrar = new InstallationRegistrar(client, [BACK_END.toUpperCase()]);
  });
  afterAll(() => hub.stop());
  beforeEach(() => {
    hub.installations.clear();
    log = new Log();
  });

  const put = (id: string, body: unknown, header: string | null = principal(BACK_END)) =>
    registrar.handle("PUT", id, header, body, log);

  it("creates an APNs installation whose only tag is derived from the user id the back end vouches for", async () => {
    const answer = await put("d7c9f1e2-1111-4a2b-8c3d-000000000001", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN });
    expect(answer).toEqual({
      status: 200,
      body: { installationId: "d7c9f1e2-1111-4a2b-8c3d-000000000001", platform: "apns", tag: userTag(USER) },
    });
    expect(hub.installations.get(hubInstallationId(USER, "d7c9f1e2-1111-4a2b-8c3d-000000000001"))).toMatchObject({
      platform: "apns",
      pushChannel: APNS_TOKEN,
      tags: [userTag(USER)],
      authorization: expect.stringMatching(/^SharedAccessSignature /),
    });
    // Ids and outcomes only in the log: no token, no user id.
    expect(log.lines.join("\n")).not.toContain(APNS_TOKEN);
    expect(log.lines.join("\n")).not.toContain(USER);
  });

  it("creates an FCM v1 installation, and updates the same installation in place", async () => {
    await put("inst-2", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN });
    const answer = await put("inst-2", { userId: USER, platform: "fcmv1", pushChannel: FCM_TOKEN });
    expect(answer.status).toBe(200);
    expect(hub.installations.size).toBe(1);
    expect(hub.installations.get(hubInstallationId(USER, "inst-2"))).toMatchObject({ platform: "fcmv1", pushChannel: FCM_TOKEN });
  });

  it("deletes the named user's installation (sign-out), and refuses a delete that names no user", async () => {
    await put("inst-3", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN });
    expect((await registrar.handle("DELETE", "inst-3", principal(BACK_END, "appid"), {}, log)).status).toBe(400);
    expect(hub.installations.has(hubInstallationId(USER, "inst-3"))).toBe(true);
    expect(await registrar.handle("DELETE", "inst-3", principal(BACK_END, "appid"), { userId: USER }, log)).toEqual({
      status: 204,
      body: {},
    });
    expect(hub.installations.has(hubInstallationId(USER, "inst-3"))).toBe(false);
  });

  it("binds an installation to its user: another user's request neither re-tags nor deletes it", async () => {
    const OTHER_USER = "8:acs:b6372803-0c35-4ec0-833b-c19b798cef2d_0000000e-3240-55cf-9806-113a0d001dd9";
    await put("shared-id", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN });
    // A leaked or guessed installation id, sent for another user: a separate installation, A's is untouched.
    expect((await put("shared-id", { userId: OTHER_USER, platform: "fcmv1", pushChannel: FCM_TOKEN })).status).toBe(200);
    expect(hub.installations.get(hubInstallationId(USER, "shared-id"))).toMatchObject({
      platform: "apns",
      pushChannel: APNS_TOKEN,
      tags: [userTag(USER)],
    });
    expect(hub.installations.get(hubInstallationId(OTHER_USER, "shared-id"))).toMatchObject({ tags: [userTag(OTHER_USER)] });
    // A delete naming the other user removes only that user's installation.
    await registrar.handle("DELETE", "shared-id", principal(BACK_END), { userId: OTHER_USER }, log);
    expect([...hub.installations.keys()]).toEqual([hubInstallationId(USER, "shared-id")]);
  });

  it("refuses a call without an authenticated principal, and one from an application not allowed", async () => {
    expect((await put("inst-4", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN }, null)).status).toBe(401);
    expect((await put("inst-4", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN }, "not-base64-json")).status).toBe(
      401,
    );
    const refused = await put("inst-4", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN }, principal(OTHER_APP));
    expect(refused).toEqual({ status: 403, body: { error: "this client application may not register devices" } });
    expect(hub.installations.size).toBe(0);
  });

  it("never lets a caller choose a tag: registering for another identity's tag is refused", async () => {
    const answer = await put("inst-5", {
      userId: USER,
      platform: "apns",
      pushChannel: APNS_TOKEN,
      tags: [userTag("8:acs:someone-else")],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(
      /unknown field\(s\) tags: only userId, platform, pushChannel, app are accepted; tags are derived from userId/,
    );
    expect(hub.installations.size).toBe(0);
  });

  it.each([
    [
      "an APNs token that is not hex",
      { platform: "apns", pushChannel: "not-a-token" },
      /APNs device token: an even number of hex characters, 64 to 200/,
    ],
    ["an APNs token too short", { platform: "apns", pushChannel: "abcd".repeat(8) }, /APNs device token/],
    ["an FCM token with spaces", { platform: "fcmv1", pushChannel: `${"a".repeat(120)} x` }, /FCM registration token/],
    ["an APNs token sent as FCM", { platform: "fcmv1", pushChannel: APNS_TOKEN }, /FCM registration token/],
    ["an unknown platform", { platform: "gcm", pushChannel: FCM_TOKEN }, /platform must be apns or fcmv1/],
    [
      "a Teams user",
      { userId: "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130", platform: "apns", pushChannel: APNS_TOKEN },
      /userId must be the ACS user's raw id/,
    ],
  ])("rejects %s with a clear error, never echoing the value", async (_case, fields, message) => {
    const answer = await put("inst-6", { userId: USER, ...fields });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(message);
    expect(JSON.stringify(answer.body)).not.toContain(APNS_TOKEN);
  });

  it("rejects an installation id that is not a plain id", async () => {
    expect((await put("../x", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN })).status).toBe(400);
  });

  it("answers 503 when the hub throttles, so the back end retries", async () => {
    hub.failNext(429);
    const answer = await put("inst-7", { userId: USER, platform: "apns", pushChannel: APNS_TOKEN });
    expect(answer.status).toBe(503);
  });
});

describe("registration settings", () => {
  const CS = "Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=acs-register;SharedAccessKey=c2VjcmV0";
  it("read the Listen connection string, the hub and the allowed back ends", () => {
    expect(
      readRegistrationSettings({
        [SETTINGS.registrationConnectionString]: CS,
        [SETTINGS.hubName]: "hub",
        [SETTINGS.registrationAllowedClients]: `${BACK_END}, ${OTHER_APP}`,
      }),
    ).toEqual({ connectionString: CS, hubName: "hub", allowedClientIds: [BACK_END, OTHER_APP] });
  });
  it("name every bad setting and never the connection string", () => {
    const unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/notification-hub-registration/1)";
    expect(() =>
      readRegistrationSettings({
        [SETTINGS.registrationConnectionString]: unresolved,
        [SETTINGS.registrationAllowedClients]: "back-end",
      }),
    ).toThrow(
      /NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING must be a Notification Hubs connection string.*NOTIFICATION_HUB_NAME.*REGISTRATION_ALLOWED_CLIENT_IDS must list the client ids/,
    );
  });
  it("reads a body only when it has exactly the expected fields", () => {
    expect(readRegistration([])).toEqual({ problems: ["the body must be a JSON object { userId, platform, pushChannel }"] });
  });
});
