import { explainLinkError, isLinkError, LinkFailureCase, linkError } from "../../../components/link/linkErrors";

// What `pulumi up` tells a user when linking fails decides whether they can fix it: each way ARM, the
// network or the credential chain fails must land on its troubleshooting case, with that case's advice.
const ctx = {
  communicationServiceId: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
  notificationHubId:
    "/subscriptions/s2/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/ns/notificationHubs/hub",
  secrets: ["Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0"],
};

const rest = (statusCode: number | undefined, code: string, message: string, name = "RestError") => ({
  name,
  statusCode,
  code,
  message,
});

const cases: [string, unknown, LinkFailureCase, RegExp][] = [
  [
    "the WrongSubscription code",
    rest(400, "WrongSubscription", "x"),
    "wrong-subscription",
    /same subscription as the Communication Services resource/,
  ],
  [
    "the code in another case",
    rest(400, "wrongsubscription", "x"),
    "wrong-subscription",
    /Create the hub in the ACS subscription/,
  ],
  [
    "only the text",
    rest(400, "BadRequest", "The hub must be in the same subscription."),
    "wrong-subscription",
    /ACS: \/subscriptions\/s1.*hub: \/subscriptions\/s2/,
  ],
  ["a code that merely contains it", rest(418, "NotWrongSubscriptionReally", "x"), "unexpected", /does not recognise/],
  ["HTTP 401", rest(401, "", "no"), "not-authorized", /refused the credentials/],
  ["HTTP 403", rest(403, "", "no"), "not-authorized", /linkNotificationHub\/action/],
  ["AuthorizationFailed without a status", rest(undefined, "AuthorizationFailed", "no"), "not-authorized", /az login/],
  ["InvalidAuthenticationTokenTenant", rest(undefined, "InvalidAuthenticationTokenTenant", "no"), "not-authorized", /az login/],
  [
    "a code ending in AuthorizationFailed but not one",
    rest(418, "XAuthorizationFailedX", "no"),
    "unexpected",
    /does not recognise/,
  ],
  ["a credential chain failure", { name: "CredentialUnavailableError", message: "no credential" }, "not-authorized", /Sign in/],
  [
    "a hub rule without Send",
    rest(400, "BadRequest", "The SAS key lacks the Send claim."),
    "missing-send-right",
    /does not grant the Send right/,
  ],
  [
    "Send mentioned without a right",
    rest(400, "BadRequest", "Could not send the request."),
    "invalid-link-input",
    /rejected the connection string/,
  ],
  [
    "HTTP 404 for the hub",
    rest(404, "", "The Notification Hub was not found."),
    "hub-not-found",
    /ns\/notificationHubs\/hub was not found/,
  ],
  ["a NotFound code without a status", rest(undefined, "ResourceNotFound", "gone"), "hub-not-found", /pulumi refresh/],
  [
    "HTTP 404 for ACS",
    rest(404, "", "The Communication Service acs was not found."),
    "acs-not-found",
    /communicationServices\/acs was not found/,
  ],
  [
    "a 404 naming both",
    rest(404, "", "Communication service could not link: notification hub not found"),
    "hub-not-found",
    /was not found/,
  ],
  ["hub missing in a 400's text", rest(400, "", "Notification hub 'hub' does not exist."), "hub-not-found", /was not found/],
  [
    "hub not be found in the text",
    rest(409, "Conflict", "The notification hub could not be found"),
    "hub-not-found",
    /was not found/,
  ],
  ["HTTP 400", rest(400, "", "bad"), "invalid-link-input", /full ARM id/],
  ["a validation code", rest(undefined, "ValidationError", "bad"), "invalid-link-input", /full ARM id/],
  ["HTTP 429", rest(429, "", "slow down"), "azure-unavailable", /throttled after retries/],
  ["HTTP 500", rest(500, "", "oops"), "azure-unavailable", /run `pulumi up` again later/],
  ["HTTP 503", rest(503, "", "oops"), "azure-unavailable", /run `pulumi up` again later/],
  ["a reset connection", rest(undefined, "ECONNRESET", "socket hang up"), "azure-unavailable", /unavailable/],
  ["HTTP 409 otherwise", rest(409, "Conflict", "busy"), "unexpected", /does not recognise/],
  [
    "no answer at all",
    { name: "NetworkFailure", message: "connect ETIMEDOUT 127.0.0.1" },
    "azure-unavailable",
    /could not be reached: connect ETIMEDOUT/,
  ],
  [
    "the deadline",
    { name: "DeadlineExceeded", message: "deadline of 120 s exceeded" },
    "azure-unavailable",
    /Nothing was changed; check the network/,
  ],
  ["a thrown string", "boom", "unexpected", /Azure said \(error\): boom/],
];

describe("explainLinkError", () => {
  it.each(cases)("classifies %s", (_name, error, failureCase, advice) => {
    const explained = explainLinkError(error, ctx);
    expect(isLinkError(explained)).toBe(true);
    expect(explained.failureCase).toBe(failureCase);
    expect(explained.message).toMatch(advice);
  });

  it("quotes what Azure said, with status and code, bounded, and without the connection string", () => {
    const long = `${ctx.secrets[0]} ${"x".repeat(400)}`;
    const explained = explainLinkError(rest(400, "BadRequest", long), ctx);
    expect(explained.message).toMatch(/Azure said \(HTTP 400 BadRequest\): /);
    expect(explained.message).not.toContain("c2VjcmV0");
    expect(explained.message.split("Azure said")[1].length).toBeLessThanOrEqual(330);
  });

  it("does not let a connection string echoed by Azure steer the diagnosis to a missing Send right", () => {
    const echoed = rest(400, "BadRequest", `Invalid value ${ctx.secrets[0]} for property access`);
    expect(explainLinkError(echoed, ctx).failureCase).toBe("invalid-link-input");
  });

  it("reads the code and message ARM nests under details.error", () => {
    const nested = {
      name: "RestError",
      statusCode: 400,
      message: "",
      details: { error: { code: "WrongSubscription", message: "" } },
    };
    expect(explainLinkError(nested, ctx).failureCase).toBe("wrong-subscription");
  });

  it("passes a LinkError through unchanged, and recognises only real ones", () => {
    const original = linkError("hub-not-found", "already explained");
    expect(explainLinkError(original, ctx)).toBe(original);
    expect(isLinkError(Object.assign(new Error("x"), { name: "LinkError" }))).toBe(false);
    expect(isLinkError({ name: "LinkError", failureCase: "hub-not-found", message: "x" })).toBe(false);
    expect(isLinkError(Object.assign(new Error("x"), { failureCase: "hub-not-found" }))).toBe(false);
  });
});
