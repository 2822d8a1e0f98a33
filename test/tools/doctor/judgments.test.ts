import { APP_INSIGHTS_METRICS, HUB_FAILURE_CATEGORIES, HUB_METRICS, SYSTEM_TOPIC_METRICS } from "../../../azure/pushMetrics";
import { networkFailure } from "../../../azure/requestLimits";
import { explainAzureError, isNotFound, readFailureStatus } from "../../../tools/doctor/azureErrors";
import { CHECKS, verdict } from "../../../tools/doctor/catalogue";
import { judgeEventDelivery, judgeInvocations } from "../../../tools/doctor/deliveryJudgments";
import {
  judgeCredentials,
  judgeHubTraffic,
  judgeLink,
  judgeLinkCurrent,
  judgeSameSubscription,
  sendRuleAmong,
  singleRightVerdict,
} from "../../../tools/doctor/hubJudgments";

/*
 * The doctor's judging, one verdict at a time: what Azure said in, the whole result a user reads
 * out. checks.test.ts runs the same judgments behind the real SDK clients against FakeAzure.
 */

const HUB_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/nh/notificationHubs/hub";
const totals = (values: Record<string, number>) => new Map(Object.entries(values));

describe("the catalogue of checks", () => {
  it("titles each verdict and leaves the fix out when there is nothing to do", () => {
    expect(verdict("hub-exists", "pass", "nh/hub found")).toStrictEqual({
      id: "hub-exists",
      title: "linked hub exists",
      status: "pass",
      evidence: "nh/hub found",
    });
    expect(verdict("send-rule", "fail", "e", "f")).toStrictEqual({
      id: "send-rule",
      title: "Send rule exists with Send",
      status: "fail",
      evidence: "e",
      fix: "f",
    });
  });

  it("covers each case of the troubleshooting guide, 1 to 7, with exactly one check", () => {
    const cases = Object.entries(CHECKS)
      .filter(([, c]) => "guideCase" in c)
      .map(([id, c]) => [(c as { guideCase: number }).guideCase, id] as const)
      .sort(([a], [b]) => a - b);
    expect(cases).toEqual([
      [1, "acs-linked"],
      [2, "hub-credentials"],
      [3, "hub-exists"],
      [4, "apns-token-mode"],
      [5, "send-rule"],
      [6, "same-subscription"],
      [7, "link-current"],
    ]);
  });
});

describe("Azure's refusals, explained", () => {
  const reading = "the hub nh/hub";

  it.each([
    [
      { statusCode: 401 },
      "not allowed to read the hub nh/hub (HTTP 401): the identity needs Reader on it (and listKeys rights for keys)",
    ],
    [
      { statusCode: 403, code: "AuthorizationFailed" },
      "not allowed to read the hub nh/hub (HTTP 403 AuthorizationFailed): the identity needs Reader on it (and listKeys rights for keys)",
    ],
    [{ statusCode: 404, code: "ResourceNotFound" }, "the hub nh/hub does not exist (HTTP 404)"],
    [{ statusCode: 429 }, "Azure throttled the request for the hub nh/hub (HTTP 429); try again in a minute"],
    [{ statusCode: 500, code: "InternalError" }, "reading the hub nh/hub failed with HTTP 500 (InternalError)"],
    [{ statusCode: 502 }, "reading the hub nh/hub failed with HTTP 502"],
    [{ code: "ECONNABORTED" }, "reading the hub nh/hub failed (ECONNABORTED)"],
    [{}, "reading the hub nh/hub failed"],
    [null, "reading the hub nh/hub failed"],
    ["a string", "reading the hub nh/hub failed"],
  ])("%j", (error, sentence) => {
    expect(explainAzureError(error, reading)).toBe(sentence);
  });

  it.each(["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError"])("%s: how to sign in", (name) => {
    expect(explainAzureError(Object.assign(new Error("RAW"), { name }), reading)).toBe(
      "could not sign in to Azure to read the hub nh/hub: run `az login` or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret or a federated token",
    );
  });

  it("names the host that did not answer, and the deadline that passed", () => {
    const silent = networkFailure("no-answer", "management.azure.com", 30_000);
    expect(explainAzureError(silent, reading)).toBe(`could not read the hub nh/hub: ${silent.message}`);
    const deadline = Object.assign(new Error("the doctor's checks did not finish within 300 s"), { name: "DeadlineExceeded" });
    expect(explainAzureError(deadline, reading)).toBe(
      "could not read the hub nh/hub: the doctor's checks did not finish within 300 s",
    );
  });

  it("fails a check whose host did not answer, and only warns on other read errors", () => {
    expect(readFailureStatus(networkFailure("refused", "management.azure.com", 30_000))).toBe("fail");
    expect(readFailureStatus(Object.assign(new Error("x"), { statusCode: 500 }))).toBe("warn");
    expect(isNotFound({ statusCode: 404 })).toBe(true);
    expect(isNotFound({ statusCode: 403 })).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });
});

describe("hub and ACS in one subscription (case 6)", () => {
  it("passes whatever the case of the ids, and fails naming both otherwise", () => {
    expect(judgeSameSubscription("AAAA", "aaaa")).toStrictEqual(verdict("same-subscription", "pass", "both in AAAA"));
    expect(judgeSameSubscription("aaaa", "bbbb")).toStrictEqual({
      id: "same-subscription",
      title: "hub and ACS in one subscription",
      status: "fail",
      evidence: "ACS in aaaa, hub in bbbb",
      fix: "ACS only links hubs of its own subscription: create the hub there",
    });
  });
});

describe("ACS linked to the stack's hub (case 1)", () => {
  it("fails when nothing is linked", () => {
    expect(judgeLink("acs-prod", "", HUB_ID, "hub")).toStrictEqual({
      id: "acs-linked",
      title: "ACS linked to a hub",
      status: "fail",
      evidence: "acs-prod has no linked notification hub",
      fix: "run `pulumi up` (the NotificationHubLink resource links it); after `pulumi refresh` the link shows as drift",
    });
  });

  it("fails when another hub is linked, naming both", () => {
    const other = HUB_ID.replace("/hub", "/other");
    expect(judgeLink("acs-prod", other, HUB_ID, "hub")).toStrictEqual({
      id: "acs-linked",
      title: "ACS linked to a hub",
      status: "fail",
      evidence: `acs-prod is linked to ${other}, not to ${HUB_ID}`,
      fix: "run `pulumi up` to link the expected hub again (someone changed the link outside Pulumi)",
    });
  });

  it("passes when the linked id is the hub's in another letter case", () => {
    expect(judgeLink("acs-prod", HUB_ID.toUpperCase(), HUB_ID, "hub")).toStrictEqual(
      verdict("acs-linked", "pass", "acs-prod → hub"),
    );
  });
});

describe("platform credentials (cases 2 and 4)", () => {
  const tokenApns = { keyId: "ABCDE12345", appId: "TEAM123456", appName: "com.contoso.chat", token: "p8" };
  const fcmV1 = { projectId: "contoso-chat", clientEmail: "push@contoso-chat.iam.gserviceaccount.com", privateKey: "pem" };
  const apnsOnly = (properties: Record<string, string | undefined>) => ({ apnsCredential: { properties } });

  it("fails a hub with neither platform, and warns for each platform missing", () => {
    expect(judgeCredentials({ gcmCredential: undefined })).toStrictEqual([
      verdict(
        "hub-credentials",
        "fail",
        "no APNs or FCM v1 credentials: ACS pushes are accepted and never delivered",
        "configure apns/apnsToken and/or fcm/fcmPrivateKey in the stack and run `pulumi up`",
      ),
      verdict(
        "apns-token-mode",
        "warn",
        "no APNs credential: iOS devices get no pushes",
        "configure apns + apnsToken if the app ships on iOS",
      ),
      verdict(
        "fcm-v1",
        "warn",
        "no FCM v1 credential: Android devices get no pushes",
        "configure fcm + fcmPrivateKey if the app ships on Android",
      ),
    ]);
  });

  it("lists the credentials configured, and passes token-mode APNs and FCM v1 naming key, team, bundle and project", () => {
    const results = judgeCredentials({
      apnsCredential: { properties: tokenApns },
      fcmV1Credential: { properties: fcmV1 },
      admCredential: null,
      wnsCredential: undefined,
    });
    expect(results).toStrictEqual([
      verdict("hub-credentials", "pass", "configured: apnsCredential, fcmV1Credential"),
      verdict("apns-token-mode", "pass", "token mode, key ABCDE12345, team TEAM123456, bundle com.contoso.chat"),
      verdict("fcm-v1", "pass", "project contoso-chat"),
    ]);
    expect(judgeCredentials({ fcmV1Credential: { properties: {} } })[2]).toStrictEqual(verdict("fcm-v1", "pass", "project ?"));
  });

  it("fails certificate-mode APNs naming the certificate fields set", () => {
    const [, apns] = judgeCredentials(apnsOnly({ apnsCertificate: "MIIC", certificateKey: "pw", thumbprint: "" }));
    expect(apns).toStrictEqual({
      id: "apns-token-mode",
      title: "APNs in token mode",
      status: "fail",
      evidence: "APNs is in certificate mode (apnsCertificate, certificateKey set), which ACS does not support",
      fix: "switch to a .p8 key: set apns + apnsToken and run `pulumi up`",
    });
  });

  it("fails a token credential naming the fields it lacks", () => {
    const [, apns] = judgeCredentials(apnsOnly({ keyId: "ABCDE12345", appId: "TEAM123456" }));
    expect(apns).toStrictEqual(
      verdict(
        "apns-token-mode",
        "fail",
        "APNs token credential lacks appName, token",
        "set every apns field and apnsToken, then `pulumi up`",
      ),
    );
  });

  it("warns about a .voip bundle id, in any case, and not about an ordinary one", () => {
    const voip = judgeCredentials(apnsOnly({ ...tokenApns, appName: "com.contoso.chat.VoIP" }));
    expect(voip.find((r) => r.id === "apns-bundle-id")).toStrictEqual({
      id: "apns-bundle-id",
      title: "APNs bundle id is the app's",
      status: "warn",
      evidence: "the linked hub's APNs bundle id is com.contoso.chat.VoIP",
      fix: "ACS pushes through the linked hub with the app's own bundle id: set apns.bundleId without .voip (a back end's own VoIP pushes need a separate hub)",
    });
    expect(judgeCredentials(apnsOnly(tokenApns)).map((r) => r.id)).not.toContain("apns-bundle-id");
  });

  it("checks the gateway only when the environment and the endpoint are both known", () => {
    const production = apnsOnly({ ...tokenApns, endpoint: "https://api.push.apple.com:443/3/device" });
    expect(judgeCredentials(production, "production").find((r) => r.id === "apns-endpoint")).toStrictEqual({
      id: "apns-endpoint",
      title: "APNs gateway matches the environment",
      status: "pass",
      evidence: "api.push.apple.com for a production environment",
    });
    expect(judgeCredentials(production, "sandbox").find((r) => r.id === "apns-endpoint")).toStrictEqual({
      id: "apns-endpoint",
      title: "APNs gateway matches the environment",
      status: "fail",
      evidence: "api.push.apple.com for a sandbox environment",
      fix: "set apns.environment: sandbox and run `pulumi up` (development builds need the sandbox, store builds production)",
    });
    expect(judgeCredentials(production).map((r) => r.id)).not.toContain("apns-endpoint");
    expect(judgeCredentials(apnsOnly(tokenApns), "production").map((r) => r.id)).not.toContain("apns-endpoint");
  });

  it("fails a hub with only a legacy GCM key", () => {
    expect(
      judgeCredentials({ gcmCredential: { properties: { googleApiKey: "k" } } }).find((r) => r.id === "fcm-v1"),
    ).toStrictEqual(
      verdict(
        "fcm-v1",
        "fail",
        "only a legacy GCM/FCM server key, which Google no longer accepts",
        "configure fcm + fcmPrivateKey (FCM v1) and run `pulumi up`",
      ),
    );
  });
});

describe("access rules (case 5)", () => {
  const fixes = { missing: "grant it", extra: "only it" };

  it.each([
    [[], "fail", "rule acs-send grants nothing, not Send", "grant it"],
    [["Listen"], "fail", "rule acs-send grants Listen, not Send", "grant it"],
    [["Send", "Listen", "Manage"], "warn", "rule acs-send grants Send and also Listen, Manage", "only it"],
  ])("%j: %s", (rights, status, evidence, fix) => {
    expect(singleRightVerdict("send-rule", "acs-send", rights, "Send", fixes)).toStrictEqual(
      verdict("send-rule", status as "fail" | "warn", evidence, fix),
    );
  });

  it("passes exactly the right asked for", () => {
    expect(singleRightVerdict("registration-rule", "acs-register", ["Listen"], "Listen", fixes)).toStrictEqual(
      verdict("registration-rule", "pass", "rule acs-register: Listen only"),
    );
  });

  it("finds the rule granting Send without Manage", () => {
    expect(
      sendRuleAmong([
        { name: "root", rights: ["Listen", "Send", "Manage"] },
        { name: "listen", rights: ["Listen"] },
        { name: "norights" },
        { name: "acs-send", rights: ["Send"] },
      ]),
    ).toBe("acs-send");
    expect(sendRuleAmong([{ name: "root", rights: ["Send", "Manage"] }, { name: "x" }])).toBeUndefined();
  });
});

describe("the linked key is current (case 7)", () => {
  it("passes on the same fingerprint, and fails naming both otherwise", () => {
    expect(judgeLinkCurrent("sha256:aa", "sha256:aa")).toStrictEqual(
      verdict("link-current", "pass", "fingerprint sha256:aa matches the link"),
    );
    expect(judgeLinkCurrent("sha256:aa", "sha256:bb")).toStrictEqual({
      id: "link-current",
      title: "linked connection string is current",
      status: "fail",
      evidence: "the rule's key was regenerated: link has sha256:aa, the rule now sha256:bb",
      fix: "run `pulumi up`: the link follows the rule's connection string and re-links",
    });
    expect(judgeLinkCurrent("sha256:aa", "").evidence).toBe(
      "the rule's key was regenerated: link has sha256:aa, the rule now no key",
    );
  });
});

describe("hub traffic", () => {
  const [authLabel, authMetrics] = Object.entries(HUB_FAILURE_CATEGORIES).find(([label]) => label === "authentication errors")!;
  const [otherLabel, otherMetrics] = Object.entries(HUB_FAILURE_CATEGORIES).find(([label]) => label !== "authentication errors")!;

  it("warns when nothing reached the hub", () => {
    expect(judgeHubTraffic(totals({}), 24)).toStrictEqual(
      verdict(
        "hub-metrics",
        "warn",
        "last 24h: 0 incoming, 0 delivered",
        "nothing reached the hub: check the link (above), the push sender's logs and that apps registered installations",
      ),
    );
  });

  it("fails when nothing was delivered, blaming credentials only when the platforms refused them", () => {
    const refused = judgeHubTraffic(totals({ [HUB_METRICS.incoming.name]: 5, [authMetrics[0].name]: 5 }), 6);
    expect(refused).toStrictEqual(
      verdict(
        "hub-metrics",
        "fail",
        `last 6h: 5 incoming, 0 delivered; failed: ${authLabel} 5`,
        "the platforms reject the hub's credentials: renew the .p8 key / service account and `pulumi up`",
      ),
    );
    const other = judgeHubTraffic(totals({ [HUB_METRICS.incoming.name]: 5, [otherMetrics[0].name]: 2 }), 6);
    expect(other).toStrictEqual(
      verdict(
        "hub-metrics",
        "fail",
        `last 6h: 5 incoming, 0 delivered; failed: ${otherLabel} 2`,
        "pushes reach the hub and none is delivered: see the failure categories",
      ),
    );
  });

  it("warns when some failed, and passes a clean window", () => {
    const incoming = HUB_METRICS.incoming.name;
    const delivered = HUB_METRICS.delivered.name;
    expect(judgeHubTraffic(totals({ [incoming]: 9, [delivered]: 8, [otherMetrics[0].name]: 1 }), 24)).toStrictEqual(
      verdict(
        "hub-metrics",
        "warn",
        `last 24h: 9 incoming, 8 delivered; failed: ${otherLabel} 1`,
        "expired channels are normal churn; authentication or payload errors are not",
      ),
    );
    expect(judgeHubTraffic(totals({ [incoming]: 9, [delivered]: 9 }), 24)).toStrictEqual(
      verdict("hub-metrics", "pass", "last 24h: 9 incoming, 9 delivered"),
    );
  });
});

describe("Event Grid delivery and the push sender's invocations", () => {
  const m = SYSTEM_TOPIC_METRICS;

  it.each([
    [{ [m.deadLettered.name]: 1 }, "fail", "last 24h: 0 delivered, 0 failed attempts, 1 dead-lettered, 0 dropped"],
    [{ [m.dropped.name]: 2 }, "fail", "last 24h: 0 delivered, 0 failed attempts, 0 dead-lettered, 2 dropped"],
  ])("fails when events were lost: %j", (values, status, evidence) => {
    expect(judgeEventDelivery(totals(values), 24)).toStrictEqual(
      verdict(
        "event-delivery",
        status as "fail",
        evidence,
        "read the dead-letter container (deadLetterStorageAccount) and the function's logs",
      ),
    );
  });

  it("warns while Event Grid retries, and passes clean deliveries", () => {
    expect(judgeEventDelivery(totals({ [m.delivered.name]: 3, [m.failedAttempts.name]: 1 }), 1)).toStrictEqual(
      verdict(
        "event-delivery",
        "warn",
        "last 1h: 3 delivered, 1 failed attempts, 0 dead-lettered, 0 dropped",
        "Event Grid is retrying: the function failed or was throttled",
      ),
    );
    expect(judgeEventDelivery(totals({ [m.delivered.name]: 3 }), 1)).toStrictEqual(
      verdict("event-delivery", "pass", "last 1h: 3 delivered, 0 failed attempts, 0 dead-lettered, 0 dropped"),
    );
  });

  it("warns on failed invocations and passes without", () => {
    const { requests, failedRequests } = APP_INSIGHTS_METRICS;
    expect(judgeInvocations(totals({ [requests.name]: 7, [failedRequests.name]: 2 }), 24)).toStrictEqual({
      id: "function-failures",
      title: "push sender invocations",
      status: "warn",
      evidence: "last 24h: 7 invocations, 2 failed",
      fix: "failed invocations are retried by Event Grid; see Application Insights for the event ids and reasons",
    });
    expect(judgeInvocations(totals({ [requests.name]: 7 }), 24)).toStrictEqual(
      verdict("function-failures", "pass", "last 24h: 7 invocations, 0 failed"),
    );
  });
});
