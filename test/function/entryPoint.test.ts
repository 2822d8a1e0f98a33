import { publishedEvent } from "../support/azureFixtures";

/**
 * function/src/index.ts in this process, with the Functions host's `app` replaced by a recorder:
 * what it registers, and what each handler does with settings, principals and bodies. (The bundled
 * package is run as the host runs it in test/function/package.test.ts.)
 */
type Handler = (input: unknown, context: unknown) => Promise<unknown>;
const registered: Record<string, { options: Record<string, unknown>; handler: Handler }> = {};
// The host package lives in function/node_modules; mocking it by that path is what index.ts resolves.
jest.mock("../../function/node_modules/@azure/functions", () => ({
  app: {
    eventGrid: (name: string, options: { handler: Handler }) => (registered[name] = { options, handler: options.handler }),
    http: (name: string, options: { handler: Handler }) => (registered[name] = { options, handler: options.handler }),
    storageQueue: (name: string, options: { handler: Handler }) => (registered[name] = { options, handler: options.handler }),
  },
  output: { storageQueue: (options: Record<string, unknown>) => ({ ...options, type: "queue", name: "outcomeQueue" }) },
}));

const CS = "Endpoint=sb://127.0.0.1:9/;SharedAccessKeyName=acs-send;SharedAccessKey=a2V5";
const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";

function context() {
  const lines: string[] = [];
  return {
    lines,
    log: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
}

function request(method: string, body: string | undefined, principal?: string) {
  return {
    method,
    params: { installationId: "install-1" },
    query: new URLSearchParams(),
    headers: new Headers(principal ? { "x-ms-client-principal": principal } : {}),
    json: async () => JSON.parse(body ?? ""),
  };
}

function load(env: Record<string, string>) {
  for (const k of Object.keys(registered)) delete registered[k];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  jest.isolateModules(() => require("../../function/src/index"));
  return () => {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  };
}

describe("the function app's entry point", () => {
  let restore: () => void = () => undefined;
  afterEach(() => restore());

  it("registers sendPush (Event Grid) and installations (HTTP PUT/DELETE, anonymous at the function, behind App Service authentication)", () => {
    restore = load({});
    expect(Object.keys(registered).sort()).toEqual(["installations", "readPnsOutcome", "sendPush"]);
    expect(registered.installations.options).toMatchObject({
      route: "installations/{installationId}",
      methods: ["PUT", "DELETE"],
      authLevel: "anonymous",
    });
  });

  it("fails an event while settings are invalid, naming the setting, and recovers once they are fixed", async () => {
    restore = load({ NOTIFICATION_HUB_CONNECTION_STRING: "", NOTIFICATION_HUB_NAME: "" });
    const ctx = context();
    const event = { ...publishedEvent("chatMessageReceived"), id: "e1" };
    await expect(registered.sendPush.handler(event, ctx)).rejects.toThrow(/NOTIFICATION_HUB_CONNECTION_STRING must be/);
    expect(ctx.lines).toEqual([
      expect.stringMatching(/^error event e1: push sender settings are invalid: NOTIFICATION_HUB_CONNECTION_STRING/),
    ]);
    // Fixed settings take effect on the next invocation, without a restart.
    Object.assign(process.env, {
      NOTIFICATION_HUB_CONNECTION_STRING: CS,
      NOTIFICATION_HUB_NAME: "hub",
      PUSH_CHAT_MESSAGES: "false",
    });
    const next = context();
    await registered.sendPush.handler(event, next);
    expect(next.lines).toEqual(["info event e1: chat messages are pushed natively by the ACS SDK, ignored"]);
  });

  it("refuses device registration while App Service authentication is off, whatever the headers say", async () => {
    restore = load({ WEBSITE_AUTH_ENABLED: "" });
    const ctx = context();
    expect(await registered.installations.handler(request("PUT", "{}", "spoofed"), ctx)).toEqual({
      status: 503,
      jsonBody: { error: "device registration is not enabled on this app" },
    });
    expect(ctx.lines).toEqual(["error device registration refused: App Service authentication is not enabled on this app"]);
  });

  it("answers 500 when registration is not configured, logging which setting", async () => {
    restore = load({
      WEBSITE_AUTH_ENABLED: "True",
      NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING: "",
      REGISTRATION_ALLOWED_CLIENT_IDS: "",
    });
    const ctx = context();
    expect(await registered.installations.handler(request("PUT", "{}"), ctx)).toEqual({
      status: 500,
      jsonBody: { error: "device registration is not configured on this app" },
    });
    expect(ctx.lines).toEqual([
      expect.stringMatching(/^error registration settings are invalid: NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING/),
    ]);
  });

  it("answers 400 for a body that is not JSON, and passes the principal header to the registrar", async () => {
    restore = load({
      WEBSITE_AUTH_ENABLED: "true",
      NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING: CS,
      NOTIFICATION_HUB_NAME: "hub",
      REGISTRATION_ALLOWED_CLIENT_IDS: BACK_END,
    });
    const principal = Buffer.from(JSON.stringify({ claims: [{ typ: "azp", val: BACK_END }] })).toString("base64");
    expect(await registered.installations.handler(request("PUT", "not json", principal), context())).toEqual({
      status: 400,
      jsonBody: { error: "the body must be JSON" },
    });
    // Without a principal the registrar answers 401, as JSON.
    expect(await registered.installations.handler(request("DELETE", undefined), context())).toEqual({
      status: 401,
      jsonBody: { error: "no authenticated caller: the back end must call with an Entra ID token" },
    });
  });
});
