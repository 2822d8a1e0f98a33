import { normalizeApnsToken } from "../../config/platformCredentials";
import { StackConfigError, validateStackConfig } from "../../config/stackConfig";
import { apnsP8, fcmPrivateKeyPem, serviceAccountJson } from "../support/keys";
import { configProblems, inputWith } from "../support/stackConfigInput";

/*
 * What a user reads when a setting is wrong: each rejection names the key and says why, with the
 * whole sentence asserted, and each accepted form a user may paste is tried.
 */

const plain = (value: string) => ({ kind: "plain" as const, value });
const GUID = (n: number) => `3f1a8c2e-6b5d-4e2f-9a10-${n.toString(16).padStart(12, "0")}`;
/** A PEM private key whose base64 body has `length` characters, split over lines of 20. */
const pemWithBody = (length: number) =>
  `-----BEGIN PRIVATE KEY-----\n${("A".repeat(length).match(/.{1,20}/g) ?? []).join("\n")}\n-----END PRIVATE KEY-----\n`;

describe("the configuration error", () => {
  it("is a StackConfigError by name, listing each problem", () => {
    let caught: unknown;
    try {
      validateStackConfig(inputWith({ location: "West Europe" }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StackConfigError);
    expect((caught as Error).name).toBe("StackConfigError");
    expect((caught as Error).message).toBe(
      "Invalid stack configuration (1 problem):\n  - acs-notifications:location: must be an Azure region name like westeurope; got 'West Europe'.",
    );
  });
});

describe("required settings, and an empty value counted as missing", () => {
  it.each([
    ["location", "is required: an Azure region name like westeurope."],
    [
      "dataLocation",
      "is required: one of Africa | Asia Pacific | Australia | Brazil | Canada | Europe | France | Germany | India | Japan | Korea | Norway | Switzerland | UAE | UK | United States.",
    ],
  ])("%s", (setting, message) => {
    expect(configProblems(inputWith({ [setting]: "" }))[setting]).toEqual([message]);
    expect(configProblems(inputWith({ [setting]: undefined }))[setting]).toEqual([message]);
  });

  it("a required tag that is empty", () => {
    const problems = configProblems(inputWith({ tags: { environment: "dev", owner: "", costCenter: "CC-1234" } }));
    expect(problems["tags.owner"]).toEqual(["is required: every resource is tagged with environment, owner, costCenter."]);
  });

  it("a choice given as something other than text", () => {
    expect(configProblems(inputWith({ hubSku: 5 })).hubSku).toEqual(["must be one of Free | Basic | Standard; got 5."]);
    expect(configProblems(inputWith({ chatPush: "both" })).chatPush).toEqual(["must be one of function | native; got 'both'."]);
  });

  it("an object given as a list", () => {
    expect(configProblems(inputWith({ fcm: ["contoso-chat-dev"] })).fcm).toEqual([
      "must be an object (YAML mapping); got a list.",
    ]);
  });
});

describe("keys nobody reads", () => {
  it("an unknown key with no near setting reads as a sentence, then lists the known settings", () => {
    const [message] = configProblems(inputWith({ colour: "blue" })).colour;
    expect(message).toMatch(/^is not a setting of this project\. Known settings: location, existingResourceGroup, /);
  });

  it("of two settings equally near a misspelling, suggests the one listed first", () => {
    // 'acms' is two edits from both apns and fcm; apns comes first in the known settings.
    expect(configProblems(inputWith({ acms: {} })).acms[0]).toMatch(
      /^is not a setting of this project; did you mean acs-notifications:apns\?/,
    );
  });

  it("a key in a namespace nobody reads, without a key of ours by that name", () => {
    const problems = configProblems(inputWith({}, {}, { otherNamespaceKeys: ["contoso:colour"] }));
    expect(problems["contoso:colour"]).toEqual([
      "is read by nobody: 'contoso' is neither this project's namespace (acs-notifications) nor one of pulumi, azure-native; remove it or move it to the right namespace.",
    ]);
  });

  it("a plain setting stored encrypted, and no second complaint about platforms when it is apns", () => {
    const problems = configProblems(inputWith({ apns: undefined }, { apnsToken: undefined }, { encryptedPlainKeys: ["apns"] }));
    expect(problems).toEqual({
      apns: [
        "is encrypted (a secure: value, perhaps nested), but it is a plain setting: set it without --secret; the secrets go in apnsToken, fcmPrivateKey, fcmServiceAccountJson, appSecrets, webhookUrl, alertWebhookUrl.",
      ],
    });
  });
});

describe("APNs .p8 keys as users paste them", () => {
  it("accepts the file with blank lines and spaces around it", () => {
    expect(normalizeApnsToken(`\n\n  ${apnsP8}\n  \n`)).toBe(normalizeApnsToken(apnsP8));
    expect(normalizeApnsToken(apnsP8)).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  });
});

describe("FCM v1 credentials", () => {
  it("accepts a private key pasted with \\n escapes instead of line breaks", () => {
    const escaped = fcmPrivateKeyPem.trim().replace(/\n/g, "\\n");
    expect(configProblems(inputWith({}, { fcmPrivateKey: plain(escaped) }))).toEqual({});
  });

  it("wants a PEM body of at least 64 base64 characters, counted without line breaks", () => {
    expect(configProblems(inputWith({}, { fcmPrivateKey: plain(pemWithBody(64)) }))).toEqual({});
    expect(configProblems(inputWith({}, { fcmPrivateKey: plain(pemWithBody(63)) })).fcmPrivateKey).toEqual([
      "must be a PEM private key (-----BEGIN PRIVATE KEY----- …); the value is not shown.",
    ]);
  });

  it("asks for fcm when only the private key is set", () => {
    expect(configProblems(inputWith({ fcm: undefined }))).toEqual({
      fcm: ["is required when fcmPrivateKey is set: { projectId, clientEmail }."],
    });
  });

  it("names fcm itself and its unknown fields in the key", () => {
    expect(configProblems(inputWith({ fcm: "contoso-chat-dev" })).fcm).toEqual([
      "must be an object (YAML mapping); got 'contoso-chat-dev'.",
    ]);
    const extra = configProblems(
      inputWith({
        fcm: { projectId: "contoso-chat-dev", clientEmail: "acs-push@contoso-chat-dev.iam.gserviceaccount.com", region: "eu" },
      }),
    );
    expect(extra["fcm.region"]).toEqual(["is not a known setting; expected only projectId, clientEmail."]);
  });

  describe("as a service account JSON key file", () => {
    const jsonOnly = (json: string) =>
      inputWith({ fcm: undefined }, { fcmPrivateKey: undefined, fcmServiceAccountJson: plain(json) });

    it("is accepted alone, even when it can only be read at deployment (an ESC secret)", () => {
      expect(configProblems(jsonOnly(serviceAccountJson()))).toEqual({});
      const config = validateStackConfig(
        inputWith({ fcm: undefined }, { fcmPrivateKey: undefined, fcmServiceAccountJson: { kind: "opaque" } }),
      );
      expect(config.fcmV1?.privateKey).toEqual({ kind: "opaque" });
    });

    it("counts as a platform on its own", () => {
      const problems = configProblems(
        inputWith(
          { fcm: undefined, apns: undefined },
          { fcmPrivateKey: undefined, apnsToken: undefined, fcmServiceAccountJson: plain(serviceAccountJson()) },
        ),
      );
      expect(problems).toEqual({});
    });

    it("cannot be combined with fcm, or with fcmPrivateKey, each alone", () => {
      const combined = ["cannot be combined with fcm / fcmPrivateKey: configure FCM v1 one way only."];
      expect(
        configProblems(inputWith({}, { fcmPrivateKey: undefined, fcmServiceAccountJson: plain(serviceAccountJson()) }))
          .fcmServiceAccountJson,
      ).toEqual(combined);
      expect(
        configProblems(inputWith({ fcm: undefined }, { fcmServiceAccountJson: plain(serviceAccountJson()) }))
          .fcmServiceAccountJson,
      ).toEqual(combined);
    });

    it.each(["null", "42", '"a string"'])("must be a JSON object, not %s", (json) => {
      expect(configProblems(jsonOnly(json)).fcmServiceAccountJson).toEqual([
        "must be a JSON object (the service account key file).",
      ]);
    });

    it("names the file's own fields: project_id, and private_key when it is not a PEM key", () => {
      const problems = configProblems(jsonOnly(serviceAccountJson({ project_id: "X", private_key: 42 })));
      expect(problems["fcmServiceAccountJson.private_key"]).toEqual([
        "must be a PEM private key (-----BEGIN PRIVATE KEY----- …); the value is not shown.",
      ]);
      expect(problems["fcmServiceAccountJson.project_id"]).toEqual([
        "must be a Firebase/Google Cloud project id (6-30 lowercase letters, digits, hyphens); got 'X'.",
      ]);
    });
  });
});

describe("true/false and whole-number settings", () => {
  it.each([
    [true, true],
    ["true", true],
    [false, false],
    ["false", false],
    ["", false],
  ])("messagePreview %j reads as %j", (value, expected) => {
    expect(validateStackConfig(inputWith({ messagePreview: value })).delivery.messagePreview).toBe(expected);
  });

  it("rejects anything else as true/false, naming it", () => {
    expect(configProblems(inputWith({ messagePreview: "yes" })).messagePreview).toEqual(["must be true or false; got 'yes'."]);
  });

  it("takes a whole number written as text, and the default for an empty value", () => {
    expect(validateStackConfig(inputWith({ functionMaxInstances: "12" })).delivery).toMatchObject({ maxInstances: 12 });
    expect(validateStackConfig(inputWith({ functionMaxInstances: "" })).delivery).toMatchObject({ maxInstances: 40 });
    for (const bad of ["12abc", "x12", "1.5", "-3"])
      expect(configProblems(inputWith({ functionMaxInstances: bad })).functionMaxInstances).toEqual([
        `must be a whole number from 1 to 1000; got '${bad}'.`,
      ]);
  });
});

describe("event types", () => {
  it("names a repeated type, and the types the push sender cannot push with the ones it can", () => {
    const problems = configProblems(
      inputWith({
        eventTypes: [
          "Microsoft.Communication.ChatMessageReceived",
          "Microsoft.Communication.ChatMessageReceived",
          "Microsoft.Communication.CallEnded",
        ],
      }),
    );
    expect(problems.eventTypes).toEqual([
      "lists Microsoft.Communication.ChatMessageReceived more than once; each type once.",
      "has Microsoft.Communication.CallEnded; the push sender can push only Microsoft.Communication.ChatMessageReceived, Microsoft.Communication.ChatThreadCreatedWithUser, Microsoft.Communication.ChatParticipantAddedToThreadWithUser.",
    ]);
  });

  it("with a webhook, names unknown types against all ACS event types", () => {
    const [message] = configProblems(
      inputWith(
        { delivery: "webhook", eventTypes: ["Microsoft.Communication.Nope"] },
        { webhookUrl: plain("https://push.contoso.com/acs") },
      ),
    ).eventTypes;
    expect(message).toMatch(
      /^has Microsoft\.Communication\.Nope; known ACS event types are Microsoft\.Communication\.ChatMessageReceived, /,
    );
    expect(message).toMatch(/Microsoft\.Communication\.CallEnded\.$/);
  });

  it("with native chat push, rejects a list that has a chat message event among others", () => {
    const problems = configProblems(
      inputWith({
        chatPush: "native",
        eventTypes: ["Microsoft.Communication.ChatThreadCreatedWithUser", "Microsoft.Communication.ChatMessageReceived"],
      }),
    );
    expect(problems.eventTypes).toEqual([
      "must not include chat-message events when chatPush is native: the ACS SDK already pushes them, and users would get every message twice.",
    ]);
  });
});

describe("https URLs for webhooks", () => {
  it.each(["xhttps://push.contoso.com", "https://", "https:///acs", "http://push.contoso.com", " https://push.contoso.com"])(
    "rejects %j as the delivery and the alert webhook, without showing it",
    (url) => {
      const delivery = configProblems(inputWith({ delivery: "webhook" }, { webhookUrl: plain(url) }));
      expect(delivery.webhookUrl).toEqual(["must be an https URL (the value is not shown)."]);
      const alerts = configProblems(inputWith({ alerts: { enabled: true } }, { alertWebhookUrl: plain(url) }));
      expect(alerts.alertWebhookUrl).toEqual(["must be an https URL (the value is not shown)."]);
    },
  );
});

describe("registration", () => {
  const registration = (clients: unknown) => ({ audience: GUID(1), allowedClientApplications: clients });

  it("says which delivery it was given instead of function, or that delivery itself is invalid", () => {
    expect(configProblems(inputWith({ delivery: "none", registration: registration([GUID(2)]) })).registration).toEqual([
      "is only used when delivery is function (the endpoint lives in the push sender); delivery is none.",
    ]);
    expect(configProblems(inputWith({ delivery: "email", registration: registration([GUID(2)]) })).registration).toEqual([
      "is only used when delivery is function (the endpoint lives in the push sender); delivery is invalid.",
    ]);
  });

  it("admits 1 to 20 back ends, every one a GUID", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => GUID(i + 2));
    expect(configProblems(inputWith({ registration: registration(many(20)) }))).toEqual({});
    const rejected = ["must list 1-20 client ids (GUIDs) of the back ends allowed to register devices."];
    expect(configProblems(inputWith({ registration: registration(many(21)) }))["registration.allowedClientApplications"]).toEqual(
      rejected,
    );
    expect(
      configProblems(inputWith({ registration: registration([GUID(2), "not-a-guid"]) }))[
        "registration.allowedClientApplications"
      ],
    ).toEqual(rejected);
    expect(
      configProblems(inputWith({ registration: registration([GUID(2), 7]) }))["registration.allowedClientApplications"],
    ).toEqual(rejected);
  });
});

describe("registration's access token version", () => {
  const withVersion = (accessTokenVersion: unknown) => ({
    registration: { audience: GUID(1), allowedClientApplications: [GUID(2)], accessTokenVersion },
  });
  it("takes 1 (a new app registration's default) or 2, and names anything else with where to look", () => {
    expect(configProblems(inputWith(withVersion(1)))).toEqual({});
    expect(configProblems(inputWith(withVersion(2)))).toEqual({});
    expect(configProblems(inputWith(withVersion("v2")))["registration.accessTokenVersion"]).toEqual([
      "must be 1 or 2: the access token version the audience's app registration issues (its manifest's requestedAccessTokenVersion; null, the default, means 1).",
    ]);
  });
  it("is kept only when it changes the issuer", () => {
    const delivery = (v: unknown) => validateStackConfig(inputWith(withVersion(v))).delivery as { registration?: object };
    expect(delivery(2).registration).toMatchObject({ accessTokenVersion: 2 });
    expect(delivery(1).registration).not.toHaveProperty("accessTokenVersion");
  });
});

describe("an existing Event Grid system topic", () => {
  it("checks its resource group name when one is given, and leaves it to the stack's otherwise", () => {
    const topic = (resourceGroupName?: string) => ({ existingEventGridSystemTopic: { name: "acs-events", resourceGroupName } });
    expect(configProblems(inputWith(topic("shared rg!")))["existingEventGridSystemTopic.resourceGroupName"]).toEqual([
      "must be a resource group name; got 'shared rg!'.",
    ]);
    expect(validateStackConfig(inputWith(topic())).delivery.existingSystemTopic).toEqual({
      name: "acs-events",
      resourceGroupName: undefined,
    });
  });
});

describe("alerts", () => {
  it("names alerts itself when it is not an object", () => {
    expect(configProblems(inputWith({ alerts: "on" })).alerts).toEqual(["must be an object (YAML mapping); got 'on'."]);
  });

  it("is off unless enabled, and needs no emails when a webhook receives them", () => {
    expect(validateStackConfig(inputWith({ alerts: {} })).alerts).toEqual({ enabled: false, emails: [], webhookUrl: undefined });
    const webhook = plain("https://alerts.contoso.com/hook");
    expect(validateStackConfig(inputWith({ alerts: { enabled: true } }, { alertWebhookUrl: webhook })).alerts).toEqual({
      enabled: true,
      emails: [],
      webhookUrl: webhook,
    });
  });

  it("wants emails as a list", () => {
    expect(configProblems(inputWith({ alerts: { enabled: true, emails: "ops@contoso.com" } }))["alerts.emails"]).toEqual([
      "must be a list of email addresses; got 'ops@contoso.com'.",
    ]);
  });

  it("takes an address of 254 characters and not one of 255", () => {
    const address = (length: number) => `${"a".repeat(length - "@contoso.com".length)}@contoso.com`;
    expect(configProblems(inputWith({ alerts: { enabled: true, emails: [address(254)] } }))).toEqual({});
    expect(configProblems(inputWith({ alerts: { enabled: true, emails: [address(255)] } }))["alerts.emails[0]"]).toEqual([
      `must be an email address of at most 254 characters; got '${address(255).slice(0, 57)}...'.`,
    ]);
  });
});

describe("the .p8 key", () => {
  it("is required by name when apns is set", () => {
    expect(configProblems(inputWith({}, { apnsToken: undefined })).apnsToken?.[0]).toMatch(/^is required when apns is set/);
    expect(apnsP8).toContain("BEGIN PRIVATE KEY");
  });
});
