import type { TokenCredential } from "@azure/identity";
import { ARM_ENDPOINT_ENV } from "../../../azure/armEndpoint";
import { connectionStringFingerprint } from "../../../azure/hubConnectionString";
import { createDoctorClients, DoctorClients } from "../../../tools/doctor/azureClients";
import { DoctorTarget, runDoctor } from "../../../tools/doctor/checks";
import type { CheckResult } from "../../../tools/doctor/catalogue";
import { renderChecks } from "../../../tools/doctor/report";
import { FakeAzure } from "../../support/fakeAzure";
import { LOCALHOST_CA } from "../../support/tlsFake";

const SUB = "11111111-1111-1111-1111-111111111111";
const RG = `/subscriptions/${SUB}/resourceGroups/rg`;
const ACS_ID = `${RG}/providers/Microsoft.Communication/communicationServices/acs-prod`;
const HUB_ID = `${RG}/providers/Microsoft.NotificationHubs/namespaces/nh-prod/notificationHubs/hub-prod`;
const TOPIC_ID = `${RG}/providers/Microsoft.EventGrid/systemTopics/acs-events`;
const AI_ID = `${RG}/providers/Microsoft.Insights/components/push-insights`;
const APP_ID = `${RG}/providers/Microsoft.Web/sites/push-func`;
const KEY = "cHJpbWFyeS1rZXktbmV2ZXItcHJpbnRlZC0wMTIzNDU2Nzg5";
const CS = `Endpoint=sb://nh-prod.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=${KEY}`;
const credential: TokenCredential = {
  getToken: async () => ({ token: "doctor-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

const target: DoctorTarget = {
  acsId: ACS_ID,
  hubId: HUB_ID,
  sendRuleName: "acs-send",
  registrationRuleName: "acs-register",
  linkedFingerprint: connectionStringFingerprint(CS),
  apnsEnvironment: "production",
  eventGridSystemTopicId: TOPIC_ID,
  eventSubscriptionName: "acs-push",
  applicationInsightsId: AI_ID,
  functionAppId: APP_ID,
  sinceHours: 24,
};

describe("doctor checks against a local ARM + Monitor (real Azure SDK clients)", () => {
  const azure = new FakeAzure();
  let clients: DoctorClients;

  beforeAll(async () => {
    await azure.start();
    process.env[ARM_ENDPOINT_ENV] = azure.endpoint;
    clients = await createDoctorClients(SUB, {
      credential,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA }, retryOptions: { maxRetries: 0 } },
    });
  });
  afterAll(async () => {
    delete process.env[ARM_ENDPOINT_ENV];
    await azure.stop();
  });

  /** A healthy environment; each test breaks one thing. */
  beforeEach(() => {
    azure.notJson = [];
    azure.acsExists = true;
    azure.linkedHubId = HUB_ID;
    azure.hubExists = true;
    azure.pns = {
      apnsCredential: {
        keyId: "ABCDE12345",
        appId: "TEAM123456",
        appName: "com.contoso.chat",
        token: "p8",
        endpoint: "https://api.push.apple.com:443/3/device",
      },
      fcmV1Credential: { projectId: "contoso-chat", clientEmail: "push@contoso-chat.iam.gserviceaccount.com", privateKey: "pem" },
    };
    azure.rules = {
      "acs-send": { rights: ["Send"], primaryConnectionString: CS },
      "acs-register": { rights: ["Listen"], primaryConnectionString: CS.replace("acs-send", "acs-register") },
    };
    azure.metrics = {
      [HUB_ID.toLowerCase()]: { incoming: 120, "outgoing.allpns.success": 230, "outgoing.allpns.badorexpiredchannel": 0 },
      [TOPIC_ID.toLowerCase()]: { DeliverySuccessCount: 120 },
      [AI_ID.toLowerCase()]: { "requests/count": 120, "requests/failed": 0 },
    };
    azure.failures = [];
    azure.functions = [{ name: "sendPush" }];
    azure.keyVaultReferences = { NOTIFICATION_HUB_CONNECTION_STRING: "Resolved" };
    azure.systemTopics = [
      { id: TOPIC_ID, source: ACS_ID },
      {
        id: `${RG}/providers/Microsoft.EventGrid/systemTopics/storage-events`,
        source: `${RG}/providers/Microsoft.Storage/storageAccounts/st`,
      },
    ];
  });

  const run = (t: Partial<DoctorTarget> = {}) => runDoctor({ ...target, ...t }, clients, new Date("2026-11-28T00:00:00Z"));
  const byId = (results: CheckResult[], id: string) => results.find((r) => r.id === id)!;

  it("fails when another system topic holds the ACS resource, and names the setting that uses it", async () => {
    const foreign = `/subscriptions/${SUB}/resourceGroups/shared/providers/Microsoft.EventGrid/systemTopics/made-by-hand`;
    azure.functions = [{ name: "sendPush" }];
    azure.keyVaultReferences = { NOTIFICATION_HUB_CONNECTION_STRING: "Resolved" };
    azure.systemTopics = [{ id: foreign, source: ACS_ID }];
    const check = byId(await run(), "event-grid-topic");
    expect(check.status).toBe("fail");
    expect(check.evidence).toContain(foreign);
    expect(check.fix).toMatch(/one system topic per ACS resource: set acs-notifications:existingEventGridSystemTopic/);
  });

  it("fails when the ACS resource has no system topic although the stack expects one", async () => {
    azure.functions = [{ name: "sendPush" }];
    azure.keyVaultReferences = { NOTIFICATION_HUB_CONNECTION_STRING: "Resolved" };
    azure.systemTopics = [];
    const check = byId(await run(), "event-grid-topic");
    expect([check.status, check.evidence]).toEqual([
      "fail",
      expect.stringMatching(/no system topic has the ACS resource as its source/),
    ]);
  });

  it("points at an existing topic a stack without its own could use", async () => {
    const check = byId(await run({ eventGridSystemTopicId: undefined }), "event-grid-topic");
    expect(check.status).toBe("pass");
    expect(check.evidence).toMatch(/existingEventGridSystemTopic/);
  });

  it("skips the topic check, saying why, when topics cannot be listed", async () => {
    azure.failures = [{ path: /\/providers\/Microsoft\.EventGrid\/systemTopics$/i, status: 403, code: "AuthorizationFailed" }];
    const check = byId(await run(), "event-grid-topic");
    expect(check).toMatchObject({ status: "skip", fix: "the identity needs Reader on the subscription" });
    expect(check.evidence).not.toContain("RAW-AZURE-TEXT");
  });

  it("fails when the host indexed no sendPush function, saying what that means", async () => {
    azure.functions = [];
    expect(byId(await run(), "function-registered")).toMatchObject({
      status: "fail",
      evidence: "the host indexed no function at all",
      fix: expect.stringMatching(/did not deploy or its entry point failed to load/),
    });
    azure.functions = [{ name: "sendPush", isDisabled: true }];
    expect(byId(await run(), "function-registered")).toMatchObject({ status: "fail", evidence: "sendPush is disabled" });
  });

  it.each([
    ["AccessToKeyVaultDenied", "fail", /grants Key Vault Secrets User/],
    ["SecretVersionNotFound", "fail", /points the setting at the current one/],
    ["Initialized", "warn", /resolves it at its next start/],
  ])("reports the hub secret's Key Vault reference in status %s", async (state, status, fix) => {
    azure.keyVaultReferences = { NOTIFICATION_HUB_CONNECTION_STRING: state };
    const check = byId(await run(), "hub-secret-reference");
    expect(check).toMatchObject({ status, fix: expect.stringMatching(fix) });
    expect(check.evidence).toMatch(
      new RegExp(
        `status ${state} \\(secret notification-hub-send, version 01234567…\\): every invocation fails naming NOTIFICATION_HUB_CONNECTION_STRING`,
      ),
    );
  });

  it.each([
    [["Listen"], "pass", /Listen only/],
    [["Listen", "Send"], "warn", /also Send/],
    [["Send"], "fail", /not Listen/],
  ])("judges the registration rule with rights %j", async (rights, status, evidence) => {
    azure.rules["acs-register"] = { rights: rights as string[], primaryConnectionString: "x" };
    expect(byId(await run(), "registration-rule")).toMatchObject({ status, evidence: expect.stringMatching(evidence) });
  });

  it("warns when the linked hub's APNs bundle id is a .voip one", async () => {
    (azure.pns.apnsCredential as Record<string, string>).appName = "com.contoso.chat.voip";
    expect(byId(await run(), "apns-bundle-id")).toMatchObject({ status: "warn", fix: expect.stringMatching(/without \.voip/) });
  });

  it("passes every check on a healthy environment, reading with a bearer token", async () => {
    const results = await run();
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["same-subscription", "pass"],
      ["acs-linked", "pass"],
      ["event-grid-topic", "pass"],
      ["hub-exists", "pass"],
      ["hub-credentials", "pass"],
      ["apns-token-mode", "pass"],
      ["apns-endpoint", "pass"],
      ["fcm-v1", "pass"],
      ["send-rule", "pass"],
      ["link-current", "pass"],
      ["registration-rule", "pass"],
      ["hub-metrics", "pass"],
      ["event-delivery", "pass"],
      ["function-failures", "pass"],
      ["function-registered", "pass"],
      ["hub-secret-reference", "pass"],
    ]);
    expect(byId(results, "hub-metrics").evidence).toBe("last 24h: 120 incoming, 230 delivered");
    const metricsCall = azure.requests.find((r) => r.path.endsWith("/metrics") && r.path.startsWith(HUB_ID));
    expect(metricsCall?.query.get("timespan")).toBe("2026-11-27T00:00:00.000Z/2026-11-28T00:00:00.000Z");
    expect(metricsCall?.query.get("aggregation")).toBe("Total");
  });

  it("case 1: ACS not linked, or linked to another hub", async () => {
    azure.linkedHubId = "";
    expect(byId(await run(), "acs-linked")).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(/no linked notification hub/),
      fix: expect.stringMatching(/pulumi up/),
    });
    azure.linkedHubId = HUB_ID.replace("hub-prod", "hub-old");
    expect(byId(await run(), "acs-linked")).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(/linked to .*hub-old, not to/),
    });
  });

  it("case 3: the linked hub no longer exists", async () => {
    azure.hubExists = false;
    const results = await run();
    expect(byId(results, "hub-exists")).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(/does not exist \(HTTP 404\)/),
      fix: expect.stringMatching(/recreates and re-links/),
    });
    expect(byId(results, "hub-credentials").status).toBe("skip");
  });

  it("case 2: the hub has no platform credentials", async () => {
    azure.pns = {};
    expect(byId(await run(), "hub-credentials")).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(/accepted and never delivered/),
    });
  });

  it("case 4: APNs in certificate mode", async () => {
    azure.pns.apnsCredential = { apnsCertificate: "MIIC", certificateKey: "pw", endpoint: "gateway.push.apple.com" };
    expect(byId(await run(), "apns-token-mode")).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(/certificate mode \(apnsCertificate, certificateKey set\)/),
    });
  });

  it("flags the sandbox gateway in a production environment", async () => {
    azure.pns.apnsCredential.endpoint = "https://api.development.push.apple.com:443/3/device";
    expect(byId(await run(), "apns-endpoint")).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/apns.environment: production/),
    });
  });

  it("flags a legacy GCM key without FCM v1, and warns when Android is not configured", async () => {
    delete azure.pns.fcmV1Credential;
    expect(byId(await run(), "fcm-v1").status).toBe("warn");
    azure.pns.gcmCredential = { googleApiKey: "AAAA" };
    expect(byId(await run(), "fcm-v1")).toMatchObject({ status: "fail", evidence: expect.stringMatching(/legacy GCM/) });
  });

  it("case 5: the Send rule lacks Send, has more, or is gone", async () => {
    azure.rules["acs-send"].rights = ["Listen"];
    expect(byId(await run(), "send-rule")).toMatchObject({ status: "fail", evidence: "rule acs-send grants Listen, not Send" });
    azure.rules["acs-send"].rights = ["Send", "Manage"];
    expect(byId(await run(), "send-rule")).toMatchObject({
      status: "warn",
      evidence: "rule acs-send grants Send and also Manage",
    });
    azure.rules = {};
    expect(byId(await run(), "send-rule")).toMatchObject({ status: "fail", evidence: expect.stringMatching(/does not exist/) });
  });

  it("finds the Send rule when the outputs do not name it", async () => {
    azure.rules = {
      admin: { rights: ["Manage", "Send", "Listen"], primaryConnectionString: "x" },
      "acs-send": { rights: ["Send"], primaryConnectionString: CS },
    };
    expect(byId(await run({ sendRuleName: undefined }), "send-rule")).toMatchObject({
      status: "pass",
      evidence: "rule acs-send: Send only",
    });
  });

  it("says an answer could not be read, and from which host, instead of concluding nothing is deployed", async () => {
    azure.functions = [{ name: "sendPush" }];
    azure.notJson = [/\/functions$/i];
    const check = byId(await run(), "function-registered");
    expect(check.status).toBe("fail");
    expect(check.evidence).toMatch(
      /^could not read the app's functions: 127\.0\.0\.1:\d+ answered with something that could not be read as its answer/,
    );
    expect(check.evidence).not.toMatch(/indexed no function/);
  });

  it("does not call the linked connection string current when ACS is not linked to the hub", async () => {
    azure.linkedHubId = "";
    expect(byId(await run(), "link-current")).toMatchObject({
      status: "skip",
      evidence: expect.stringMatching(/ACS is not linked to this hub \(see acs-linked\)/),
    });
  });

  it("case 7: the key was regenerated after the link", async () => {
    azure.rules["acs-send"].primaryConnectionString = CS.replace(KEY, "cmVnZW5lcmF0ZWQta2V5LTAxMjM0NTY3ODk=");
    expect(byId(await run(), "link-current")).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(/regenerated/),
      fix: expect.stringMatching(/re-links/),
    });
    expect(byId(await run({ linkedFingerprint: undefined }), "link-current").status).toBe("skip");
  });

  it("flags a hub in another subscription", async () => {
    const other = HUB_ID.replace(SUB, "22222222-2222-2222-2222-222222222222");
    expect(byId(await run({ hubId: other }), "same-subscription")).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/own subscription/),
    });
  });

  it("reads the hub's failure categories: nothing arriving, nothing delivered, some failing", async () => {
    const hub = HUB_ID.toLowerCase();
    azure.metrics[hub] = { incoming: 0 };
    expect(byId(await run(), "hub-metrics")).toMatchObject({
      status: "warn",
      fix: expect.stringMatching(/nothing reached the hub/),
    });
    azure.metrics[hub] = {
      incoming: 50,
      "outgoing.allpns.success": 0,
      "outgoing.apns.invalidcredentials": 40,
      "outgoing.gcm.authenticationerror": 10,
    };
    expect(byId(await run(), "hub-metrics")).toMatchObject({
      status: "fail",
      evidence: "last 24h: 50 incoming, 0 delivered; failed: authentication errors 50",
      fix: expect.stringMatching(/reject the hub's credentials/),
    });
    azure.metrics[hub] = {
      incoming: 50,
      "outgoing.allpns.success": 45,
      "outgoing.allpns.badorexpiredchannel": 3,
      "outgoing.gcm.throttled": 2,
      "outgoing.allpns.invalidpayload": 1,
    };
    expect(byId(await run(), "hub-metrics")).toMatchObject({
      status: "warn",
      evidence: expect.stringMatching(/failed: bad or expired channel 3, throttled 2, invalid payload 1/),
    });
  });

  it("sees FCM v1's own failures: credentials, throttling, tokens of another app", async () => {
    azure.metrics[HUB_ID.toLowerCase()] = {
      incoming: 30,
      "outgoing.allpns.success": 0,
      "outgoing.fcmv1.invalidcredentials": 25,
      "outgoing.fcmv1.throttled": 4,
      "outgoing.fcmv1.wrongchannel": 1,
    };
    expect(byId(await run(), "hub-metrics")).toMatchObject({
      status: "fail",
      evidence: "last 24h: 30 incoming, 0 delivered; failed: registered for another app 1, throttled 4, authentication errors 25",
      fix: expect.stringMatching(/reject the hub's credentials/),
    });
  });

  it("reads Event Grid delivery for the subscription, and the function's failures", async () => {
    azure.metrics[TOPIC_ID.toLowerCase()] = { DeliverySuccessCount: 10, DeliveryAttemptFailCount: 4, DeadLetteredCount: 2 };
    azure.metrics[AI_ID.toLowerCase()] = { "requests/count": 14, "requests/failed": 4 };
    const results = await run();
    expect(byId(results, "event-delivery")).toMatchObject({
      status: "fail",
      evidence: "last 24h: 10 delivered, 4 failed attempts, 2 dead-lettered, 0 dropped",
    });
    // Application Insights' request metrics have only the Count aggregation: asking for Total reads zero.
    expect(byId(results, "function-failures")).toMatchObject({ status: "warn", evidence: "last 24h: 14 invocations, 4 failed" });
    const ai = azure.requests.filter((r) => r.path.startsWith(AI_ID));
    expect(ai.length).toBeGreaterThan(0);
    expect(new Set(ai.map((r) => r.query.get("aggregation")))).toEqual(new Set(["Count"]));
    const eg = azure.requests.find((r) => r.path.startsWith(TOPIC_ID));
    expect(eg?.query.get("$filter")).toBe("EventSubscriptionName eq 'ACS-PUSH'");
  });

  it("stops at ids that are not ARM ids, saying which one", async () => {
    const before = azure.requests.length;
    expect(await run({ acsId: "acs-prod" })).toEqual([
      {
        id: "inputs",
        title: "resource ids",
        status: "fail",
        evidence: "the ACS id is not a valid ARM id",
        fix: "pass the ids from `pulumi stack output` (acsId, hubId)",
      },
    ]);
    expect((await run({ hubId: `${RG}/providers/Microsoft.NotificationHubs/namespaces/nh-prod` }))[0].evidence).toBe(
      "the hub id is not a valid ARM id",
    );
    expect(azure.requests.length).toBe(before);
  });

  it("shows every check that needs the hub as skipped when the hub cannot be read", async () => {
    azure.hubExists = false;
    const skipped = (await run()).filter((r) => r.status === "skip");
    expect(skipped.map((r) => [r.id, r.title])).toEqual([
      ["hub-credentials", "hub has platform credentials"],
      ["send-rule", "Send rule exists with Send"],
      ["link-current", "linked connection string is current"],
      ["hub-metrics", "hub traffic"],
      ["registration-rule", "registration rule is Listen-only"],
    ]);
    for (const r of skipped) expect(r.evidence).toBe("not checked: the hub could not be read (see hub-exists)");
    const withoutRegistration = await run({ registrationRuleName: undefined });
    expect(withoutRegistration.map((r) => r.id)).not.toContain("registration-rule");
  });

  it("says the ACS resource is gone when ARM does not find it", async () => {
    azure.acsExists = false;
    expect(byId(await run(), "acs-linked")).toEqual({
      id: "acs-linked",
      title: "ACS linked to a hub",
      status: "fail",
      evidence: "the ACS resource acs-prod does not exist (HTTP 404)",
      fix: "the ACS resource is gone: `pulumi refresh` then `pulumi up`",
    });
  });

  it("fails when no rule grants Send without Manage and the outputs name none", async () => {
    azure.rules = { root: { rights: ["Listen", "Send", "Manage"], primaryConnectionString: CS } };
    expect(byId(await run({ sendRuleName: undefined, registrationRuleName: undefined }), "send-rule")).toEqual({
      id: "send-rule",
      title: "Send rule exists with Send",
      status: "fail",
      evidence: "the hub has no rule granting Send without Manage",
      fix: "`pulumi up` creates the dedicated Send-only rule",
    });
  });

  it("names the missing rules and what recreates them", async () => {
    azure.rules = {};
    const results = await run();
    expect(byId(results, "send-rule")).toEqual({
      id: "send-rule",
      title: "Send rule exists with Send",
      status: "fail",
      evidence: "the rule acs-send does not exist (HTTP 404)",
      fix: "`pulumi up` recreates the Send rule and re-links ACS",
    });
    expect(byId(results, "registration-rule")).toEqual({
      id: "registration-rule",
      title: "registration rule is Listen-only",
      status: "fail",
      evidence: "the rule acs-register does not exist (HTTP 404)",
      fix: "`pulumi up` recreates the registration rule",
    });
    // Without the rule there is no key to compare.
    expect(results.map((r) => r.id)).not.toContain("link-current");
  });

  it("skips the key comparison without the link's fingerprint, and fails when the keys cannot be listed", async () => {
    expect(byId(await run({ linkedFingerprint: undefined }), "link-current")).toEqual({
      id: "link-current",
      title: "linked connection string is current",
      status: "skip",
      evidence: "no linkedConnectionStringFingerprint given (pass --outputs or --stack)",
    });
    azure.failures = [{ path: /\/listKeys$/i, status: 403, code: "AuthorizationFailed" }];
    expect(byId(await run(), "link-current")).toEqual({
      id: "link-current",
      title: "linked connection string is current",
      status: "fail",
      evidence:
        "not allowed to read the keys of rule acs-send (HTTP 403 AuthorizationFailed): the identity needs Reader on it (and listKeys rights for keys)",
    });
  });

  it("warns, without a fix, when metrics cannot be read", async () => {
    azure.failures = [{ path: /\/providers\/Microsoft\.Insights\/metrics$/i, status: 403, code: "AuthorizationFailed" }];
    const results = await run();
    const denied = (reading: string) =>
      `not allowed to read ${reading} (HTTP 403 AuthorizationFailed): the identity needs Reader on it (and listKeys rights for keys)`;
    expect(byId(results, "hub-metrics")).toEqual({
      id: "hub-metrics",
      title: "hub traffic",
      status: "warn",
      evidence: denied("the hub's metrics"),
    });
    expect(byId(results, "event-delivery")).toEqual({
      id: "event-delivery",
      title: "Event Grid delivery to the push sender",
      status: "warn",
      evidence: denied("the Event Grid metrics"),
    });
    expect(byId(results, "function-failures")).toEqual({
      id: "function-failures",
      title: "push sender invocations",
      status: "warn",
      evidence: denied("Application Insights metrics"),
    });
  });

  it("reads Event Grid metrics for every subscription when the outputs name none, and skips what is not deployed", async () => {
    const before = azure.requests.length;
    const results = await run({ eventSubscriptionName: undefined });
    expect(byId(results, "event-delivery").status).toBe("pass");
    const eg = azure.requests.slice(before).find((r) => r.path.startsWith(TOPIC_ID));
    expect(eg).toBeDefined();
    expect(eg?.query.has("$filter")).toBe(false);
    const bare = await run({ eventGridSystemTopicId: undefined, applicationInsightsId: undefined, functionAppId: undefined });
    for (const id of ["event-delivery", "function-failures", "function-registered", "hub-secret-reference"])
      expect(bare.map((r) => r.id)).not.toContain(id);
  });

  it("explains Azure's refusals instead of dumping them, and never prints a key", async () => {
    azure.failures = [{ path: /communicationServices\/acs-prod$/i, status: 403, code: "AuthorizationFailed" }];
    const results = await run();
    expect(byId(results, "acs-linked")).toMatchObject({
      status: "fail",
      evidence: expect.stringMatching(
        /not allowed to read the ACS resource acs-prod \(HTTP 403 AuthorizationFailed\): the identity needs Reader/,
      ),
    });
    const text = renderChecks(results) + JSON.stringify(results);
    expect(text).not.toContain("RAW-AZURE-TEXT");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("SharedAccessKey");
  });
});

describe("the doctor's text report", () => {
  it("shows each check's title and its id, the name the troubleshooting guide and --json use", () => {
    const text = renderChecks([
      { id: "link-current", title: "linked connection string is current", status: "pass", evidence: "fingerprint matches" },
      { id: "hub-metrics", title: "hub traffic", status: "fail", evidence: "0 incoming", fix: "check the link" },
    ]);
    expect(text).toMatch(/^✓? ?.*linked connection string is current \[link-current\] +fingerprint matches$/m);
    expect(text).toMatch(/hub traffic \[hub-metrics\] +0 incoming\n +fix: check the link/);
  });
});
