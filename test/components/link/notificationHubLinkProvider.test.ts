import type { TokenCredential } from "@azure/identity";
import { connectionStringFingerprint } from "../../../azure/hubConnectionString";
import {
  createNotificationHubLinkProvider,
  LinkInputs,
  LinkOutputs,
  validateLinkInputs,
} from "../../../components/link/notificationHubLinkProvider";
import { isLinkError, LinkError } from "../../../components/link/linkErrors";
import { armError, PUBLISHED_ARM_ERRORS, useFakeArm } from "../../support/fakeArm";
import { armExample } from "../../support/azureFixtures";
import { LOCALHOST_CA } from "../../support/tlsFake";

const SUB = "11111111-1111-1111-1111-111111111111";
const ACS_ID = `/subscriptions/${SUB}/resourceGroups/rg-push/providers/Microsoft.Communication/communicationServices/acs-dev`;
const HUB_ID = `/subscriptions/${SUB}/resourceGroups/rg-push/providers/Microsoft.NotificationHubs/namespaces/nh-dev/notificationHubs/hub-dev`;
const KEY = "c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItbGVhay0xMjM0NTY3ODkwYWJjZA==";
const CONNECTION_STRING = `Endpoint=sb://nh-dev.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=${KEY}`;
const ROTATED = CONNECTION_STRING.replace(KEY, "cm90YXRlZC1rZXktdGhhdC1tdXN0LW5ldmVyLWxlYWstOTg3NjU0MzIxMA==");

const RULE_ID = `${HUB_ID}/authorizationRules/acs-send`;
const inputs: LinkInputs = { communicationServiceId: ACS_ID, notificationHubId: HUB_ID, authorizationRuleId: RULE_ID };
/** The requests of the link itself, after the provider read the rule's keys. */
const linkRequests = <R extends { path: string }>(requests: R[]) => requests.filter((r) => !r.path.endsWith("/listKeys"));

const staticCredential: TokenCredential = {
  getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("NotificationHubLink provider against a local ARM", () => {
  const arm = useFakeArm();
  const provider = createNotificationHubLinkProvider({
    credential: () => staticCredential,
    clientOptions: {
      tlsOptions: { ca: LOCALHOST_CA },
      retryOptions: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
    },
  });

  beforeEach(() => {
    arm.reset();
    arm.addService(ACS_ID);
    arm.addRuleKey(RULE_ID, CONNECTION_STRING);
  });

  async function expectLinkError(promise: Promise<unknown>): Promise<LinkError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLinkError(error)).toBe(true);
    const message = (error as LinkError).message;
    expect(message).not.toContain(KEY);
    expect(message).not.toContain(CONNECTION_STRING);
    return error as LinkError;
  }

  it("create reads the Send rule's key itself, then POSTs linkNotificationHub with it, authenticated", async () => {
    const result = await provider.create!(inputs);
    expect(result.id).toBe(`${ACS_ID}/notificationHubLink`);
    expect(result.outs).toMatchObject({
      linkedNotificationHubId: HUB_ID,
      connectionStringFingerprint: connectionStringFingerprint(CONNECTION_STRING),
    });
    // The key never was an input: the provider read it from the rule (listKeys), and state keeps no key.
    expect(arm.requests[0]).toMatchObject({ method: "POST", path: `${RULE_ID}/listKeys`, authorization: "Bearer test-token" });
    expect(JSON.stringify(result.outs)).not.toContain(KEY);
    const [request] = linkRequests(arm.requests);
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`${ACS_ID}/linkNotificationHub`);
    expect(request.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(request.authorization).toBe("Bearer test-token");
    expect(request.body).toEqual({ resourceId: HUB_ID, connectionString: CONNECTION_STRING });
    // The body has exactly the fields of Azure's published linkNotificationHub request, at the API version it documents.
    const published = armExample("communication/linkNotificationHub.json").parameters;
    expect(Object.keys(request.body as object).sort()).toEqual(
      Object.keys(published.linkNotificationHubParameters as object).sort(),
    );
    expect(request.apiVersion).toBe(published["api-version"]);
  });

  it("the fingerprint never contains the key", async () => {
    const { outs } = await provider.create!(inputs);
    expect(outs.connectionStringFingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(JSON.stringify(outs.connectionStringFingerprint)).not.toContain(KEY);
  });

  describe("diff", () => {
    const olds: LinkOutputs = {
      ...inputs,
      linkedNotificationHubId: HUB_ID,
      connectionStringFingerprint: connectionStringFingerprint(CONNECTION_STRING),
    };

    it("reports no change when nothing changed", async () => {
      expect(await provider.diff!("id", olds, inputs)).toEqual({ changes: false, replaces: [] });
    });
    it("updates when the rule's key was regenerated, seen by an identity that may read it", async () => {
      arm.addRuleKey(RULE_ID, ROTATED);
      expect(await provider.diff!("id", olds, inputs)).toEqual({ changes: true, replaces: [] });
    });
    it("sees no change where the key cannot be read (the preview identity holds no key)", async () => {
      arm.addRuleKey(RULE_ID, ROTATED);
      arm.refuseListKeys = true;
      expect(await provider.diff!("id", olds, inputs)).toEqual({ changes: false, replaces: [] });
    });
    it("fails, naming the rule, when the key read fails otherwise: a hidden rotation would leave ACS on the old key", async () => {
      arm.listKeysAnswer = armError(500, "InternalServerError", "Boom.");
      await expect(provider.diff!("id", olds, inputs)).rejects.toThrow(
        new RegExp(`Reading the keys of ${RULE_ID} failed \\(HTTP 500\\)`),
      );
    });
    it("updates when the link is to use another rule", async () => {
      const other = `${HUB_ID}/authorizationRules/other`;
      expect(await provider.diff!("id", olds, { ...inputs, authorizationRuleId: other })).toMatchObject({ changes: true });
    });
    it("updates when the hub changes", async () => {
      expect(await provider.diff!("id", olds, { ...inputs, notificationHubId: HUB_ID.replace("hub-dev", "hub-2") })).toEqual({
        changes: true,
        replaces: [],
      });
    });
    it("replaces when the ACS resource changes", async () => {
      const diff = await provider.diff!("id", olds, { ...inputs, communicationServiceId: ACS_ID.replace("acs-dev", "acs-2") });
      expect(diff).toEqual({ changes: true, replaces: ["communicationServiceId"] });
    });
    it("treats ARM ids case-insensitively", async () => {
      expect(await provider.diff!("id", olds, { ...inputs, notificationHubId: HUB_ID.toLowerCase() })).toEqual({
        changes: false,
        replaces: [],
      });
    });
  });

  it("update re-links with the rule's current key", async () => {
    arm.addRuleKey(RULE_ID, ROTATED);
    const { outs } = await provider.update!(
      "id",
      { ...inputs, linkedNotificationHubId: HUB_ID, connectionStringFingerprint: "sha256:old" },
      inputs,
    );
    expect(linkRequests(arm.requests)).toHaveLength(1);
    expect(linkRequests(arm.requests)[0].body).toMatchObject({ connectionString: ROTATED });
    expect(outs.connectionStringFingerprint).toBe(connectionStringFingerprint(ROTATED));
  });

  it("read reports the hub ACS is really linked to, so refresh shows drift", async () => {
    const other = HUB_ID.replace("hub-dev", "hub-by-hand");
    arm.addService(ACS_ID, other);
    const olds: LinkOutputs = { ...inputs, linkedNotificationHubId: HUB_ID, connectionStringFingerprint: "x" };
    const read = await provider.read!("id", olds);
    expect(read.props).toMatchObject({ linkedNotificationHubId: other, notificationHubId: other });
    expect(arm.requests[0]).toMatchObject({ method: "GET", path: ACS_ID });
    // The next `up` then sees a change and re-links to the hub the program wants.
    expect((await provider.diff!("id", read.props as LinkOutputs, inputs)).changes).toBe(true);
  });

  it("read reports an unlinked ACS resource as an empty hub id", async () => {
    const read = await provider.read!("id", { ...inputs, linkedNotificationHubId: HUB_ID, connectionStringFingerprint: "x" });
    expect(read.props).toMatchObject({ linkedNotificationHubId: "", notificationHubId: "" });
  });

  it("read reports the link gone when the ACS resource is gone", async () => {
    arm.services.clear();
    const read = await provider.read!("id", { ...inputs, linkedNotificationHubId: HUB_ID, connectionStringFingerprint: "x" });
    expect(read.id).toBe("");
  });

  it("delete makes no call: ARM has no unlink (the plan and the README say so)", async () => {
    await provider.delete!("id", { ...inputs, linkedNotificationHubId: HUB_ID, connectionStringFingerprint: "x" });
    expect(arm.requests).toHaveLength(0);
  });

  it("retries a 503 and succeeds", async () => {
    arm.failNext(armError(503, "ServiceUnavailable", "Try again."));
    const { outs } = await provider.create!(inputs);
    expect(outs.linkedNotificationHubId).toBe(HUB_ID);
    expect(linkRequests(arm.requests).filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("retries a 429 honouring Retry-After and succeeds", async () => {
    arm.failNext(armError(429, "TooManyRequests", "Slow down.", { "retry-after": "0" }));
    await provider.create!(inputs);
    expect(linkRequests(arm.requests)).toHaveLength(2);
  });

  it("gives up after the retries and says Azure stayed unavailable", async () => {
    arm.failNext(...Array.from({ length: 4 }, () => armError(500, "InternalServerError", "Boom.")));
    const error = await expectLinkError(provider.create!(inputs));
    expect(error.failureCase).toBe("azure-unavailable");
    expect(linkRequests(arm.requests)).toHaveLength(4);
  });

  it("says which rule's keys it could not read, and what the deploying identity lacks", async () => {
    arm.refuseListKeys = true;
    await expect(provider.create!(inputs)).rejects.toThrow(
      new RegExp(`Reading the keys of ${RULE_ID} was refused \\(HTTP 403\\).*listKeys/action`),
    );
    expect(linkRequests(arm.requests)).toHaveLength(0);
  });

  const mapped: [string, ReturnType<typeof armError>, LinkError["failureCase"], RegExp][] = [
    [
      "wrong subscription",
      // Azure's published error for this case (linkNotificationHub example, default response).
      armError(400, PUBLISHED_ARM_ERRORS.wrongSubscription.code, PUBLISHED_ARM_ERRORS.wrongSubscription.message),
      "wrong-subscription",
      /same subscription/,
    ],
    [
      "hub not found",
      armError(404, "NotFound", "The notification hub was not found."),
      "hub-not-found",
      /linked hub no longer exists/,
    ],
    [
      "connection string without Send",
      armError(400, "BadRequest", "The connection string must have the 'Send' right (claim missing)."),
      "missing-send-right",
      /lacks Send/,
    ],
    [
      "invalid connection string",
      armError(400, "InvalidConnectionString", `Connection string '${CONNECTION_STRING}' is invalid.`),
      "invalid-link-input",
      /connection string or resourceId invalid/,
    ],
    [
      "invalid resource id",
      armError(400, "InvalidResourceId", "The resource id is malformed."),
      "invalid-link-input",
      /resource id/,
    ],
    [
      "authorization failure",
      armError(403, "AuthorizationFailed", "The client does not have authorization to perform action."),
      "not-authorized",
      /linkNotificationHub\/action/,
    ],
    ["expired token", armError(401, "InvalidAuthenticationTokenExpired", "The token is expired."), "not-authorized", /az login/],
  ];

  it.each(mapped)("maps %s to its troubleshooting case without leaking the key", async (_name, reply, failureCase, advice) => {
    arm.failNext(reply);
    const error = await expectLinkError(provider.create!(inputs));
    expect(error.failureCase).toBe(failureCase);
    expect(error.message).toMatch(advice);
  });

  it("maps a credential that cannot sign in to an authentication failure", async () => {
    const failing = createNotificationHubLinkProvider({
      credential: () => ({
        getToken: async () => {
          const e = new Error(`EnvironmentCredential is unavailable (${CONNECTION_STRING})`);
          e.name = "CredentialUnavailableError";
          throw e;
        },
      }),
      clientOptions: { tlsOptions: { ca: LOCALHOST_CA } },
    });
    const error = await expectLinkError(failing.create!(inputs));
    expect(error.failureCase).toBe("not-authorized");
    expect(arm.requests).toHaveLength(0);
  });

  it("refuses a hub in another subscription before calling ARM", async () => {
    const elsewhere = HUB_ID.replace(SUB, "22222222-2222-2222-2222-222222222222");
    await expect(provider.create!({ ...inputs, notificationHubId: elsewhere })).rejects.toThrow(/same subscription/);
    expect(arm.requests).toHaveLength(0);
  });
});

describe("validateLinkInputs", () => {
  it("accepts matching ids and a rule of the hub", () => {
    expect(validateLinkInputs(inputs)).toEqual([]);
  });
  it("names each invalid property", () => {
    const failures = validateLinkInputs({
      communicationServiceId: "acs-dev",
      notificationHubId: "/subscriptions/x/hub",
      authorizationRuleId: "acs-send",
    });
    expect(failures.map((f) => f.property)).toEqual(["communicationServiceId", "notificationHubId", "authorizationRuleId"]);
  });
  it("rejects a rule of another hub (the link would carry another hub's key)", () => {
    const failures = validateLinkInputs({ ...inputs, authorizationRuleId: RULE_ID.replace("nh-dev", "nh-prod") });
    expect(failures).toEqual([
      { property: "authorizationRuleId", reason: expect.stringMatching(/must be a rule of the linked hub/) },
    ]);
  });
  it("skips values not known yet during a preview", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect(
      validateLinkInputs({ communicationServiceId: ACS_ID, notificationHubId: unknown, authorizationRuleId: unknown }),
    ).toEqual([]);
  });
});
