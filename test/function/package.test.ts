import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { buildFunctionPackage, functionPackage } from "../../components/pushSender/functionPackage";
import { PUSH_FUNCTION_NAME, REGISTRATION_FUNCTION_NAME } from "../../function/src/contract";
import { PNS_OUTCOME_FUNCTION_NAME, PNS_OUTCOME_QUEUE, PNS_OUTCOME_TRIES } from "../../function/src/pnsOutcomes";

describe("the push sender package", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "acs-pkg-"));

  it("is a small, reproducible zip with host.json, a package.json pointing at the bundle, and the bundle", () => {
    const first = buildFunctionPackage(path.join(out, "a"));
    const second = buildFunctionPackage(path.join(out, "b"));
    expect(second.sha256).toBe(first.sha256);
    expect(first.bytes).toBeLessThanOrEqual(500 * 1024);
    const files = unzipSync(fs.readFileSync(first.path));
    expect(Object.keys(files).sort()).toEqual(["dist/index.js", "host.json", "package.json"]);
    expect(JSON.parse(Buffer.from(files["package.json"]).toString())).toMatchObject({ main: "dist/index.js" });
    expect(JSON.parse(Buffer.from(files["host.json"]).toString()).extensionBundle.id).toBe(
      "Microsoft.Azure.Functions.ExtensionBundle",
    );
  });

  // A plain Node process standing in for the Functions host: it provides @azure/functions-core,
  // records what the app registers, and can invoke the handler as the worker does.
  function runHost(
    env: Record<string, string>,
    invoke: boolean,
    httpRequest?: { method: string; installationId: string; principal: string; body: unknown },
  ): {
    registered: unknown[];
    invocation?: string;
    http?: { status: number; jsonBody?: unknown };
    queues: { function: string; type: string; direction: string; queueName: string; connection: string }[];
  } {
    const files = unzipSync(fs.readFileSync(buildFunctionPackage(path.join(out, "c")).path));
    const dir = path.join(out, "site");
    fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist", "index.js"), Buffer.from(files["dist/index.js"]));
    const host = `
      const Module = require("node:module");
      const registered = [];
      const handlers = {};
      const queues = [];
      const core = {
        version: "4.5.0",
        registerFunction: (m, callback) => {
          registered.push({ name: m.name, trigger: Object.values(m.bindings).find((b) => b.type.endsWith("Trigger")).type });
          handlers[m.name] = callback;
          for (const b of Object.values(m.bindings))
            if (b.type.startsWith("queue")) queues.push({ function: m.name, type: b.type, direction: b.direction, queueName: b.queueName, connection: b.connection });
          return { dispose() {} };
        },
        setProgrammingModel() {}, getProgrammingModel: () => ({}), registerHook: () => ({ dispose() {} }), log() {},
      };
      const load = Module._load;
      Module._load = function (request, ...rest) { return request === "@azure/functions-core" ? core : load.call(this, request, ...rest); };
      require(${JSON.stringify(path.join(dir, "dist", "index.js"))});
      (async () => {
        let invocation;
        if (${invoke}) {
          // The worker calls a v4 handler with the trigger value, then the invocation context.
          const context = { log() {}, warn() {}, error() {} };
          try { await handlers.sendPush({ id: "e1", eventType: "Microsoft.Communication.ChatMessageReceived", data: {} }, context); invocation = "ok"; }
          catch (e) { invocation = e.message; }
        }
        let http;
        const req = ${JSON.stringify(httpRequest ?? null)};
        if (req) {
          // A request shaped like @azure/functions' HttpRequest, as the worker hands it to a v4 handler.
          const request = {
            method: req.method,
            params: { installationId: req.installationId },
            headers: { get: (name) => (name.toLowerCase() === "x-ms-client-principal" ? req.principal : null) },
            json: async () => req.body,
          };
          http = await handlers.installations(request, { log() {}, warn() {}, error() {} });
        }
        process.stdout.write(JSON.stringify({ registered, invocation, http, queues }));
      })();
    `;
    return JSON.parse(
      execFileSync(process.execPath, ["-e", host], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" }),
    );
  }

  it("registers `sendPush`, the PNS outcome reader on its queue, and the registration endpoint when the Functions host loads it", () => {
    const { registered, queues } = runHost(
      {
        NOTIFICATION_HUB_CONNECTION_STRING: "Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=s;SharedAccessKey=k",
        NOTIFICATION_HUB_NAME: "hub",
      },
      false,
    );
    expect(registered).toEqual([
      { name: PUSH_FUNCTION_NAME, trigger: "eventGridTrigger" },
      { name: PNS_OUTCOME_FUNCTION_NAME, trigger: "queueTrigger" },
      { name: REGISTRATION_FUNCTION_NAME, trigger: "httpTrigger" },
    ]);
    // sendPush writes to the queue readPnsOutcome reads, on the host's own (identity-based) storage.
    expect(queues).toEqual([
      {
        function: PUSH_FUNCTION_NAME,
        type: "queue",
        direction: "out",
        queueName: PNS_OUTCOME_QUEUE,
        connection: "AzureWebJobsStorage",
      },
      {
        function: PNS_OUTCOME_FUNCTION_NAME,
        type: "queueTrigger",
        direction: "in",
        queueName: PNS_OUTCOME_QUEUE,
        connection: "AzureWebJobsStorage",
      },
    ]);
  });

  it("lets the host try each outcome as often as the reader expects, and never samples the ledger away", () => {
    const files = unzipSync(fs.readFileSync(buildFunctionPackage(path.join(out, "d")).path));
    const host = JSON.parse(Buffer.from(files["host.json"]).toString());
    expect(host.extensions.queues.maxDequeueCount).toBe(PNS_OUTCOME_TRIES);
    // Application Insights' adaptive sampling drops traces unless excluded: a sampled ledger would
    // report a delivered push as never received.
    expect(host.logging.applicationInsights.samplingSettings.excludedTypes.split(";")).toEqual(
      expect.arrayContaining(["Request", "Trace"]),
    );
  });

  it("still registers `sendPush` when its settings are missing or unresolved, and fails each invocation naming the setting", () => {
    const unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-secret-host.vault.azure.net/secrets/notification-hub-send/abc)";
    const { registered, invocation } = runHost({ NOTIFICATION_HUB_CONNECTION_STRING: unresolved }, true);
    expect(registered).toEqual([
      { name: PUSH_FUNCTION_NAME, trigger: "eventGridTrigger" },
      { name: PNS_OUTCOME_FUNCTION_NAME, trigger: "queueTrigger" },
      { name: REGISTRATION_FUNCTION_NAME, trigger: "httpTrigger" },
    ]);
    expect(invocation).toMatch(/NOTIFICATION_HUB_CONNECTION_STRING must be a Notification Hubs connection string/);
    expect(invocation).toMatch(/NOTIFICATION_HUB_NAME must name the notification hub/);
    expect(invocation).not.toContain("kv-secret-host");
  });

  it("does not trust caller headers when App Service authentication is off: a spoofed principal is refused", () => {
    const spoofed = Buffer.from(
      JSON.stringify({ claims: [{ typ: "azp", val: "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b" }] }),
    ).toString("base64");
    const env = {
      NOTIFICATION_HUB_NAME: "hub",
      NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING: "Endpoint=sb://127.0.0.1:1/;SharedAccessKeyName=r;SharedAccessKey=k",
      REGISTRATION_ALLOWED_CLIENT_IDS: "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b",
    };
    const request = {
      method: "PUT",
      installationId: "inst-1",
      principal: spoofed,
      body: { userId: "8:acs:x_1", platform: "apns", pushChannel: "a".repeat(64) },
    };
    expect(runHost(env, false, request).http).toEqual({
      status: 503,
      jsonBody: { error: "device registration is not enabled on this app" },
    });
    // With authentication on, the same app answers from the registrar (here: the settings are fine, the body is checked).
    const withAuth = runHost({ ...env, WEBSITE_AUTH_ENABLED: "True" }, false, {
      ...request,
      body: { userId: "8:acs:x_1", platform: "apns", pushChannel: "nope" },
    });
    expect(withAuth.http).toEqual({ status: 400, jsonBody: { error: expect.stringMatching(/APNs device token/) } });
  });

  it("reuses a package built from the same sources", () => {
    const first = functionPackage(path.join(out, "cache"));
    const again = functionPackage(path.join(out, "cache"));
    expect(again).toEqual(first);
    expect(path.basename(first.path)).toMatch(/^push-sender-[0-9a-f]{16}\.zip$/);
  });
});
