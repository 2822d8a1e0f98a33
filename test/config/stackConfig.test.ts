import { normalizeApnsToken } from "../../config/platformCredentials";
import { StackConfigError, validateStackConfig } from "../../config/stackConfig";
import { RawStackConfig, SecretValue } from "../../config/stackConfigTypes";
import { apnsP8, fcmPrivateKeyPem, serviceAccountJson } from "../support/keys";
import { inputWith, validInput } from "../support/stackConfigInput";

type Values = Record<string, unknown>;
type Secrets = Record<string, SecretValue | undefined>;

/** The values of the valid input the support module builds, for tests that change one field of an object. */
const goodValues: Values = validInput().values as Values;

/** The valid input with these changes (`undefined` removes a setting). */
function raw(values: Values = {}, secrets: Secrets = {}, plaintextSecretKeys: string[] = []): RawStackConfig {
  return inputWith(values, secrets, { plaintextSecretKeys });
}

function problemsOf(input: RawStackConfig): { key: string; message: string }[] {
  try {
    validateStackConfig(input);
  } catch (error) {
    if (error instanceof StackConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const secretFragments = [apnsP8.split("\n")[1], fcmPrivateKeyPem.split("\n")[1], "PRIVATE KEY-----\nMII"];

describe("validateStackConfig", () => {
  it("accepts the happy-path configuration and picks the sandbox endpoint inputs", () => {
    const config = validateStackConfig(raw());
    expect(config.apns).toMatchObject({
      keyId: "ABCDE12345",
      teamId: "TEAM123456",
      bundleId: "com.contoso.chat",
      environment: "sandbox",
    });
    expect(config.apns?.token).toEqual({ kind: "plain", value: normalizeApnsToken(apnsP8) });
    expect(config.fcmV1).toMatchObject({ projectId: "contoso-chat-dev" });
    expect(config.hubSku).toBe("Free");
    expect(config.tags).toEqual({ environment: "dev", owner: "platform-team", costCenter: "CC-1234" });
  });

  it("defaults the hub SKU to Free and accepts case-insensitive choices", () => {
    expect(validateStackConfig(raw({ hubSku: undefined })).hubSku).toBe("Free");
    expect(validateStackConfig(raw({ hubSku: "standard", dataLocation: "united states" }))).toMatchObject({
      hubSku: "Standard",
      dataLocation: "United States",
    });
  });

  it("accepts FCM v1 from one service-account JSON secret", () => {
    const config = validateStackConfig(
      raw(
        { fcm: undefined },
        { fcmPrivateKey: undefined, fcmServiceAccountJson: { kind: "plain", value: serviceAccountJson() } },
      ),
    );
    expect(config.fcmV1).toMatchObject({
      projectId: "contoso-chat-dev",
      clientEmail: "acs-push@contoso-chat-dev.iam.gserviceaccount.com",
    });
    expect(config.fcmV1?.privateKey).toEqual({ kind: "plain", value: fcmPrivateKeyPem });
  });

  it("normalizes an FCM key pasted with literal \\n escapes (the service-account JSON's string form)", () => {
    const escaped = fcmPrivateKeyPem.trim().replace(/\n/g, "\\n");
    expect(escaped).not.toContain("\n");
    const config = validateStackConfig(raw({}, { fcmPrivateKey: { kind: "plain", value: `  ${escaped}  ` } }));
    expect(config.fcmV1?.privateKey).toEqual({ kind: "plain", value: fcmPrivateKeyPem });
  });

  it("reads who may register devices", () => {
    const registration = {
      audience: "6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b",
      allowedClientApplications: ["3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b"],
    };
    expect(validateStackConfig(raw({ registration })).delivery).toMatchObject({ mode: "function", registration });
  });

  it("reads an existing Event Grid system topic to use instead of creating one", () => {
    const config = validateStackConfig(
      raw({ existingEventGridSystemTopic: { name: "acs-events", resourceGroupName: "shared-rg" } }),
    );
    expect(config.delivery.existingSystemTopic).toEqual({ name: "acs-events", resourceGroupName: "shared-rg" });
    expect(validateStackConfig(raw({})).delivery.existingSystemTopic).toBeUndefined();
  });

  it.each([1, 1000])("accepts %i instances, an end of the range Flex Consumption documents", (n) => {
    expect(validateStackConfig(raw({ functionMaxInstances: n })).delivery).toMatchObject({ maxInstances: n });
  });

  it("accepts only one platform (APNs or FCM)", () => {
    expect(validateStackConfig(raw({ fcm: undefined }, { fcmPrivateKey: undefined })).fcmV1).toBeUndefined();
    expect(validateStackConfig(raw({ apns: undefined }, { apnsToken: undefined })).apns).toBeUndefined();
  });

  it("accepts the bare base64 body of a .p8 as well as the PEM file", () => {
    const body = normalizeApnsToken(apnsP8)!;
    expect(validateStackConfig(raw({}, { apnsToken: { kind: "plain", value: body } })).apns?.token).toEqual({
      kind: "plain",
      value: body,
    });
  });

  it("counts opaque secrets as present without checking their content", () => {
    const config = validateStackConfig(raw({}, { apnsToken: { kind: "opaque" }, fcmPrivateKey: { kind: "opaque" } }));
    expect(config.apns?.token).toEqual({ kind: "opaque" });
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(raw({ location: "West Europe", namePrefix: "X", hubSku: "Premium" }, { apnsToken: undefined }));
    expect(problems.map((p) => p.key)).toEqual(
      expect.arrayContaining([
        "acs-notifications:location",
        "acs-notifications:namePrefix",
        "acs-notifications:hubSku",
        "acs-notifications:apnsToken",
      ]),
    );
  });

  // Each case changes the happy-path fixture once; the error must name the key and say what is expected.
  const badInputs: [string, RawStackConfig, string, RegExp][] = [
    ["missing location", raw({ location: undefined }), "location", /required.*region/],
    ["location with spaces", raw({ location: "West Europe" }), "location", /region name like westeurope/],
    ["missing namePrefix", raw({ namePrefix: undefined }), "namePrefix", /required/],
    ["namePrefix with upper case", raw({ namePrefix: "AcsNotif" }), "namePrefix", /lowercase/],
    ["namePrefix too long", raw({ namePrefix: "a".repeat(17) }), "namePrefix", /3-16/],
    ["namePrefix ending in a hyphen", raw({ namePrefix: "acs-" }), "namePrefix", /not ending with a hyphen/],
    [
      "invalid resource group",
      raw({ existingResourceGroup: "rg with space" }),
      "existingResourceGroup",
      /existing resource group/,
    ],
    ["missing tags", raw({ tags: undefined }), "tags", /required/],
    ["tags as a list", raw({ tags: ["dev"] }), "tags", /must be an object/],
    ["missing owner tag", raw({ tags: { environment: "dev", costCenter: "1" } }), "tags.owner", /required/],
    ["missing costCenter tag", raw({ tags: { environment: "dev", owner: "me" } }), "tags.costCenter", /required/],
    [
      "forbidden tag key",
      raw({ tags: { ...(goodValues.tags as Values), "a/b": "x" } }),
      "tags.a/b",
      /not a valid Azure tag name/,
    ],
    ["tag value too long", raw({ tags: { ...(goodValues.tags as Values), note: "x".repeat(257) } }), "tags.note", /256/],
    ["missing dataLocation", raw({ dataLocation: undefined }), "dataLocation", /one of Africa/],
    ["unknown dataLocation", raw({ dataLocation: "Mars" }), "dataLocation", /one of .*Europe/],
    ["unknown hub SKU", raw({ hubSku: "Premium" }), "hubSku", /Free \| Basic \| Standard/],
    [
      "no platform at all",
      raw({ apns: undefined, fcm: undefined }, { apnsToken: undefined, fcmPrivateKey: undefined }),
      "apns",
      /at least one push platform/,
    ],
    ["short APNs key id", raw({ apns: { ...(goodValues.apns as Values), keyId: "ABC" } }), "apns.keyId", /10-character Key ID/],
    [
      "lowercase team id",
      raw({ apns: { ...(goodValues.apns as Values), teamId: "team123456" } }),
      "apns.teamId",
      /10-character Apple Team ID/,
    ],
    [
      "bundle id without dots",
      raw({ apns: { ...(goodValues.apns as Values), bundleId: "contoso" } }),
      "apns.bundleId",
      /bundle id/,
    ],
    [
      "unknown APNs environment",
      raw({ apns: { ...(goodValues.apns as Values), environment: "development" } }),
      "apns.environment",
      /sandbox \| production/,
    ],
    [
      "APNs certificate mode",
      raw({ apns: { ...(goodValues.apns as Values), apnsCertificate: "MIIC..." } }),
      "apns",
      /certificate authentication/,
    ],
    ["unknown APNs field", raw({ apns: { ...(goodValues.apns as Values), keyID: "X" } }), "apns.keyID", /not a known setting/],
    ["missing APNs token", raw({}, { apnsToken: undefined }), "apnsToken", /pulumi config set --secret/],
    [
      "APNs token that is not a key",
      raw({}, { apnsToken: { kind: "plain", value: "hunter2-not-a-key" } }),
      "apnsToken",
      /\.p8 auth key/,
    ],
    ["APNs token set in plain text", raw({}, {}, ["apnsToken"]), "apnsToken", /plain text.*--secret/],
    ["token without apns settings", raw({ apns: undefined }), "apns", /required when apnsToken is set/],
    [
      "bad FCM project id",
      raw({ fcm: { ...(goodValues.fcm as Values), projectId: "My Project" } }),
      "fcm.projectId",
      /project id/,
    ],
    [
      "bad FCM client email",
      raw({ fcm: { ...(goodValues.fcm as Values), clientEmail: "me@gmail.com" } }),
      "fcm.clientEmail",
      /iam\.gserviceaccount\.com/,
    ],
    ["legacy FCM server key", raw({ fcm: { ...(goodValues.fcm as Values), serverKey: "AAAA" } }), "fcm", /legacy FCM server key/],
    ["missing FCM private key", raw({}, { fcmPrivateKey: undefined }), "fcmPrivateKey", /required when fcm is set/],
    [
      "FCM private key not PEM",
      raw({}, { fcmPrivateKey: { kind: "plain", value: "c2VjcmV0LXNlY3JldA==" } }),
      "fcmPrivateKey",
      /PEM private key/,
    ],
    [
      "service account JSON not JSON",
      raw({ fcm: undefined }, { fcmPrivateKey: undefined, fcmServiceAccountJson: { kind: "plain", value: "{nope" } }),
      "fcmServiceAccountJson",
      /not valid JSON/,
    ],
    [
      "service account of the wrong type",
      raw(
        { fcm: undefined },
        {
          fcmPrivateKey: undefined,
          fcmServiceAccountJson: { kind: "plain", value: serviceAccountJson({ type: "authorized_user" }) },
        },
      ),
      "fcmServiceAccountJson",
      /service_account/,
    ],
    [
      "service account without email",
      raw(
        { fcm: undefined },
        {
          fcmPrivateKey: undefined,
          fcmServiceAccountJson: { kind: "plain", value: serviceAccountJson({ client_email: undefined }) },
        },
      ),
      "fcmServiceAccountJson.client_email",
      /required/,
    ],
    [
      "FCM configured twice",
      raw({}, { fcmServiceAccountJson: { kind: "plain", value: serviceAccountJson() } }),
      "fcmServiceAccountJson",
      /one way only/,
    ],
    ["typo in a key", raw({ hubSKU: "Free" }), "hubSKU", /not a setting of this project/],
  ];

  it.each(badInputs)("rejects %s, naming the key", (_case, input, key, expected) => {
    const problems = problemsOf(input);
    const problem = problems.find((p) => p.key === `acs-notifications:${key}`);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(expected);
  });

  it("has at least 25 bad-input cases", () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(25);
  });

  it.each(badInputs)("never echoes a secret value when rejecting %s", (_case, input) => {
    let message = "";
    try {
      validateStackConfig(input);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe("");
    for (const fragment of [...secretFragments, "hunter2-not-a-key", "c2VjcmV0LXNlY3JldA=="])
      expect(message).not.toContain(fragment);
  });
});

describe("push delivery settings", () => {
  it("defaults to the push-sender Function for chat messages, previews off", () => {
    expect(validateStackConfig(raw()).delivery).toEqual({
      mode: "function",
      eventTypes: ["Microsoft.Communication.ChatMessageReceived"],
      chatPush: "function",
      messagePreview: false,
      existingSystemTopic: undefined,
      nodeVersion: "22",
      maxInstances: 40,
      instanceMemoryMb: 2048,
    });
  });

  it("with native chat push, defaults to conversation invitations only", () => {
    expect(validateStackConfig(raw({ chatPush: "native" })).delivery.eventTypes).toEqual([
      "Microsoft.Communication.ChatThreadCreatedWithUser",
      "Microsoft.Communication.ChatParticipantAddedToThreadWithUser",
    ]);
  });

  it("accepts a webhook with a secret https URL", () => {
    const config = validateStackConfig(
      raw(
        { delivery: "webhook", eventTypes: ["Microsoft.Communication.IncomingCall"] },
        { webhookUrl: { kind: "plain", value: "https://push.contoso.com/acs?code=k" } },
      ),
    );
    expect(config.delivery).toMatchObject({
      mode: "webhook",
      webhookUrl: { kind: "plain", value: "https://push.contoso.com/acs?code=k" },
    });
  });

  const bad: [string, RawStackConfig, string, RegExp][] = [
    ["unknown delivery", raw({ delivery: "email" }), "delivery", /function \| webhook \| none/],
    [
      "chat events with native chat push",
      raw({ chatPush: "native", eventTypes: ["Microsoft.Communication.ChatMessageReceived"] }),
      "eventTypes",
      /every message twice/,
    ],
    [
      "an event type the function cannot push",
      raw({ eventTypes: ["Microsoft.Communication.IncomingCall"] }),
      "eventTypes",
      /push sender can push only/,
    ],
    [
      "an unknown event type",
      raw(
        { delivery: "webhook", eventTypes: ["Microsoft.Communication.Nope"] },
        { webhookUrl: { kind: "plain", value: "https://x.example" } },
      ),
      "eventTypes",
      /known ACS event types/,
    ],
    ["an empty event list", raw({ eventTypes: [] }), "eventTypes", /non-empty list/],
    ["a webhook without URL", raw({ delivery: "webhook" }), "webhookUrl", /required when delivery is webhook/],
    [
      "a plain-http webhook",
      raw({ delivery: "webhook" }, { webhookUrl: { kind: "plain", value: "http://push.contoso.com/hook?code=zzsecret" } }),
      "webhookUrl",
      /https URL \(the value is not shown\)/,
    ],
    [
      "a webhook URL without webhook delivery",
      raw({}, { webhookUrl: { kind: "plain", value: "https://x.example" } }),
      "webhookUrl",
      /only used when delivery is webhook/,
    ],
    ["a non-boolean preview flag", raw({ messagePreview: "yes" }), "messagePreview", /true or false/],
    [
      "an unsupported Node version (20 left support on 2026-04-30)",
      raw({ functionNodeVersion: "20" }),
      "functionNodeVersion",
      /must be one of 22/,
    ],
    ["too many instances", raw({ functionMaxInstances: 5000 }), "functionMaxInstances", /1 to 1000/],
    ["one instance over Flex Consumption's limit", raw({ functionMaxInstances: 1001 }), "functionMaxInstances", /1 to 1000/],
    ["no instances at all", raw({ functionMaxInstances: 0 }), "functionMaxInstances", /1 to 1000/],
    [
      "registration allowing no back end",
      raw({ registration: { audience: "6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b", allowedClientApplications: [] } }),
      "registration.allowedClientApplications",
      /1-20 client ids \(GUIDs\) of the back ends/,
    ],
    [
      "registration with an audience that is not a client id",
      raw({ registration: { audience: "api://push", allowedClientApplications: ["3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b"] } }),
      "registration.audience",
      /client id \(GUID\) of the Entra ID application/,
    ],
    [
      "registration without the function",
      raw({
        delivery: "none",
        registration: {
          audience: "6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b",
          allowedClientApplications: ["3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b"],
        },
      }),
      "registration",
      /only used when delivery is function/,
    ],
    [
      "an existing system topic with a bad name",
      raw({ existingEventGridSystemTopic: { name: "a b" } }),
      "existingEventGridSystemTopic.name",
      /3-128 letters, digits, hyphens/,
    ],
    [
      "an existing system topic with an unknown field",
      raw({ existingEventGridSystemTopic: { name: "acs-events", group: "rg" } }),
      "existingEventGridSystemTopic.group",
      /expected only name, resourceGroupName/,
    ],
    [
      "an existing system topic without delivery",
      raw({ delivery: "none", existingEventGridSystemTopic: { name: "acs-events" } }),
      "existingEventGridSystemTopic",
      /only used when delivery is function or webhook/,
    ],
    ["an unsupported instance size", raw({ functionMemoryMb: 1024 }), "functionMemoryMb", /512 \| 2048 \| 4096/],
  ];

  it.each(bad)("rejects %s, naming the key", (_case, input, key, expected) => {
    const problems = problemsOf(input);
    const problem = problems.find((p) => p.key === `acs-notifications:${key}`);
    expect(problem?.message).toMatch(expected);
    expect(JSON.stringify(problems)).not.toContain("zzsecret");
  });
});

describe("alert settings", () => {
  it("are off unless enabled, and carry the receivers", () => {
    expect(validateStackConfig(raw()).alerts).toEqual({ enabled: false, emails: [] });
    expect(validateStackConfig(raw({ alerts: { enabled: true, emails: ["oncall@contoso.com"] } })).alerts).toEqual({
      enabled: true,
      emails: ["oncall@contoso.com"],
      webhookUrl: undefined,
    });
  });

  it.each([
    ["enabled without receivers", raw({ alerts: { enabled: true } }), "alerts", /without a receiver/],
    [
      "a bad email",
      raw({ alerts: { enabled: true, emails: ["oncall"] } }),
      "alerts.emails[0]",
      /must be an email address of at most 254/,
    ],
    ["an unknown field", raw({ alerts: { enabled: true, emails: ["a@b.co"], sms: "1" } }), "alerts.sms", /not a known setting/],
    [
      "a plain-http webhook",
      raw({ alerts: { enabled: true } }, { alertWebhookUrl: { kind: "plain", value: "http://hooks.example/x?k=zzsecret" } }),
      "alertWebhookUrl",
      /https URL/,
    ],
    [
      "a webhook without alerts",
      raw({}, { alertWebhookUrl: { kind: "plain", value: "https://hooks.example/x" } }),
      "alertWebhookUrl",
      /only used when alerts.enabled/,
    ],
  ] as [string, RawStackConfig, string, RegExp][])("reject %s, naming the key", (_case, input, key, expected) => {
    const problems = problemsOf(input);
    expect(problems.find((p) => p.key === `acs-notifications:${key}`)?.message).toMatch(expected);
    expect(JSON.stringify(problems)).not.toContain("zzsecret");
  });
});

describe("validateStackConfig: what each rejection says", () => {
  const apns = goodValues.apns as Values;
  const fcm = goodValues.fcm as Values;

  it("counts problems in the heading, singular or plural, one line each", () => {
    const one = new StackConfigError([{ key: "acs-notifications:location", message: "is required." }]);
    expect(one.message).toBe("Invalid stack configuration (1 problem):\n  - acs-notifications:location: is required.");
    const two = new StackConfigError([
      { key: "a", message: "x." },
      { key: "b", message: "y." },
    ]);
    expect(two.message).toBe("Invalid stack configuration (2 problems):\n  - a: x.\n  - b: y.");
  });

  it.each(["apnsCertificate", "certificateKey", "thumbprint"])(
    "explains that certificate mode (%s) is what ACS cannot use",
    (field) => {
      expect(problemsOf(raw({ apns: { ...apns, [field]: "x" } }))).toContainEqual({
        key: "acs-notifications:apns",
        message: "uses certificate authentication, which ACS push does not support: use a .p8 token key.",
      });
    },
  );

  it.each(["serverKey", "googleApiKey"])("explains that a legacy FCM key (%s) no longer works", (field) => {
    expect(problemsOf(raw({ fcm: { ...fcm, [field]: "AAAA" } }))).toContainEqual({
      key: "acs-notifications:fcm",
      message: "holds a legacy FCM server key, which Google shut down in 2024: use FCM v1 service account credentials.",
    });
  });

  it("asks for the apns settings when only the token is set, and only then", () => {
    expect(problemsOf(raw({ apns: undefined }))).toContainEqual({
      key: "acs-notifications:apns",
      message: "is required when apnsToken is set: { keyId, teamId, bundleId, environment }.",
    });
    const notAnObject = problemsOf(raw({ apns: "ABCDE12345" }));
    expect(notAnObject.filter((p) => p.key === "acs-notifications:apns")).toHaveLength(1);
    expect(notAnObject[0].message).not.toMatch(/is required when apnsToken/);
  });

  it("describes a wrong value by its kind, and a long one cut to 57 characters", () => {
    const messageFor = (location: unknown) =>
      problemsOf(raw({ location })).find((p) => p.key === "acs-notifications:location")?.message;
    expect(messageFor(null)).toMatch(/; got null\.$/);
    expect(messageFor(["westeurope"])).toMatch(/; got a list\.$/);
    expect(messageFor({ name: "westeurope" })).toMatch(/; got an object\.$/);
    expect(messageFor(42)).toMatch(/; got 42\.$/);
    expect(messageFor("W".repeat(60))).toMatch(new RegExp(`; got '${"W".repeat(60)}'\\.$`));
    expect(messageFor("W".repeat(61))).toMatch(new RegExp(`; got '${"W".repeat(57)}\\.\\.\\.'\\.$`));
  });

  it("takes a .p8 body of 64 base64 characters, not 63, in or out of PEM armour, whitespace anywhere", () => {
    const body = "A".repeat(64);
    expect(normalizeApnsToken(`  ${body}\n`)).toBe(body);
    expect(normalizeApnsToken("A".repeat(63))).toBeUndefined();
    expect(
      normalizeApnsToken(`-----BEGIN PRIVATE KEY-----\n${body.slice(0, 32)}\n  ${body.slice(32)}\n-----END PRIVATE KEY-----\n`),
    ).toBe(body);
    expect(normalizeApnsToken(`${"!".repeat(64)}`)).toBeUndefined();
    expect(normalizeApnsToken(`${"A".repeat(62)}==`)).toBe(`${"A".repeat(62)}==`);
  });
});

describe("validateStackConfig: tags and misspelt keys, in detail", () => {
  const tags = goodValues.tags as Values;

  it("takes numbers as tag values, and refuses lists, objects and booleans by their kind", () => {
    expect(validateStackConfig(raw({ tags: { ...tags, build: 42 } })).tags.build).toBe("42");
    expect(problemsOf(raw({ tags: { ...tags, team: ["a"] } }))).toEqual([
      { key: "acs-notifications:tags.team", message: "must be a string; got a list." },
    ]);
    expect(problemsOf(raw({ tags: { ...tags, team: true } }))).toEqual([
      { key: "acs-notifications:tags.team", message: "must be a string; got true." },
    ]);
  });

  it("names a long tag by its first 37 characters, a 40-character one whole", () => {
    const forty = "k".repeat(40);
    expect(problemsOf(raw({ tags: { ...tags, [forty]: null } }))[0].key).toBe(`acs-notifications:tags.${forty}`);
    const long = "k".repeat(41);
    expect(problemsOf(raw({ tags: { ...tags, [long]: null } }))[0].key).toBe(`acs-notifications:tags.${"k".repeat(37)}...`);
    expect(problemsOf(raw({ tags: { ...tags, " ": "x" } }))).toEqual([
      { key: "acs-notifications:tags", message: "has an empty tag name; Azure tag names are 1-512 characters." },
    ]);
  });

  it("suggests the nearest setting only when it is near enough", () => {
    const [near] = problemsOf(raw({ hubSkuu: "Free" }));
    expect(near.message).toMatch(/^is not a setting of this project; did you mean acs-notifications:hubSku\? Known settings: /);
    const [far] = problemsOf(raw({ somethingElse: "x" }));
    expect(far.message).toMatch(/^is not a setting of this project\. Known settings: /);
    // Two edits from a short key is still near; three is not.
    expect(problemsOf(raw({ hbSk: "Free" }))[0].message).toMatch(/did you mean acs-notifications:hubSku\?/);
    expect(problemsOf(raw({ hXbSkXuX: "Free" }))[0].message).not.toMatch(/did you mean/);
  });
});
