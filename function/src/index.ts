// Azure Functions entry point (Node v4 programming model): one Event Grid-triggered function.
import { app, InvocationContext, output } from "@azure/functions";
import { BlobDeadLetter } from "./deadLetter";
import { createHubClient, hubClientOptions } from "./hubClient";
import { PushSender } from "./pushSender";
import { readAppsSettings, readRegistrationApps, readRegistrationSettings, readSettings } from "./settings";
import { PUSH_FUNCTION_NAME, REGISTRATION_FUNCTION_NAME, REGISTRATION_ROUTE } from "./contract";
import { InstallationClient, InstallationRegistrar, RegistrarApp } from "./registration";
import { NotificationHubsClient } from "@azure/notification-hubs";
import {
  OutcomeClient,
  OutcomeNotReadyError,
  OutcomeRequest,
  PNS_OUTCOME_FUNCTION_NAME,
  PNS_OUTCOME_QUEUE,
  PnsOutcomeReader,
} from "./pnsOutcomes";

// The host's own storage account (identity-based AzureWebJobsStorage) holds the outcome queue.
const STORAGE_CONNECTION = "AzureWebJobsStorage";
const outcomeQueue = output.storageQueue({ queueName: PNS_OUTCOME_QUEUE, connection: STORAGE_CONNECTION });

// Nothing is read at module load: a module that throws while loading registers no function, the
// host indexes none, and Event Grid then rejects the subscription or fails every delivery. A bad
// setting instead fails each invocation with one message naming it, so Event Grid retries and
// the failure shows in Application Insights and the alerts.
let sender: PushSender | undefined;

/** One client per hub for the whole process: the sender and the outcome reader share it. */
const hubClients = new Map<string, ReturnType<typeof createHubClient>>();
function hubClientFor(connectionString: string, hubName: string) {
  const key = `${hubName}\n${connectionString}`;
  let client = hubClients.get(key);
  if (!client) hubClients.set(key, (client = createHubClient(connectionString, hubName)));
  return client;
}

function currentSender(): PushSender {
  if (sender) return sender;
  // Throws SettingsError naming every bad setting, never a value; not cached, so a restart
  // with fixed settings (or a Key Vault reference that now resolves) works at once.
  const settings = readSettings(process.env);
  const deadLetter = settings.deadLetterUrl ? new BlobDeadLetter(settings.deadLetterUrl) : undefined;
  const apps = readAppsSettings(process.env);
  // One client per hub and process, reused by every invocation (it keeps its HTTP connections alive);
  // one sender per process too: it remembers which events this instance already pushed.
  sender = apps
    ? new PushSender(
        apps.map((app) => ({
          app: app.name,
          partitions: app.partitions.map((p) => hubClientFor(p.connectionString, p.hubName)),
          growingFrom: app.growingFrom,
          platforms: app.platforms,
          hubSku: app.hubSku,
          includePreview: app.messagePreview,
        })),
        settings,
        deadLetter,
      )
    : new PushSender(hubClientFor(settings.connectionString, settings.hubName), settings, deadLetter);
  return sender;
}

function loggerFor(context: InvocationContext) {
  return { info: (m: string) => context.log(m), warn: (m: string) => context.warn(m), error: (m: string) => context.error(m) };
}

app.eventGrid(PUSH_FUNCTION_NAME, {
  // Accepted notifications whose PNS outcome the hub reports later (Standard tier): read by readPnsOutcome.
  extraOutputs: [outcomeQueue],
  handler: async (event, context) => {
    const log = loggerFor(context);
    let current: PushSender;
    try {
      current = currentSender();
    } catch (error) {
      log.error(`event ${event.id}: ${(error as Error).message}`);
      throw error;
    }
    const outcomes: OutcomeRequest[] = [];
    try {
      await current.handle(event, log, (request) => outcomes.push(request));
    } finally {
      // Also when Event Grid retries the event: the notifications the hub accepted so far were pushed.
      if (outcomes.length > 0) context.extraOutputs.set(outcomeQueue, outcomes);
    }
  },
});

let outcomeReader: PnsOutcomeReader | undefined;

function currentOutcomeReader(): PnsOutcomeReader {
  if (outcomeReader) return outcomeReader;
  const settings = readSettings(process.env);
  const apps = readAppsSettings(process.env);
  // The sender's own clients and Send rules: the outcome is read from the hub that accepted the push.
  const oneHub = apps ? undefined : (hubClientFor(settings.connectionString, settings.hubName) as unknown as OutcomeClient);
  outcomeReader = new PnsOutcomeReader((name, partition) => {
    if (oneHub) return oneHub;
    const hub = apps?.find((a) => a.name === name)?.partitions[partition];
    return hub && (hubClientFor(hub.connectionString, hub.hubName) as unknown as OutcomeClient);
  });
  return outcomeReader;
}

app.storageQueue(PNS_OUTCOME_FUNCTION_NAME, {
  queueName: PNS_OUTCOME_QUEUE,
  connection: STORAGE_CONNECTION,
  handler: async (message, context) => {
    const log = loggerFor(context);
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    try {
      await currentOutcomeReader().handle(message, dequeueCount, log);
    } catch (error) {
      // Not ready yet: the host shows the message again after host.json's visibilityTimeout.
      if (error instanceof OutcomeNotReadyError) log.info(error.message);
      else log.error((error as Error).message);
      throw error;
    }
  },
});

let registrar: InstallationRegistrar | undefined;

function currentRegistrar(): InstallationRegistrar {
  if (registrar) return registrar;
  const settings = readRegistrationSettings(process.env);
  const apps = readRegistrationApps(process.env);
  const client = (connectionString: string, hubName: string) =>
    new NotificationHubsClient(connectionString, hubName, hubClientOptions()) as unknown as InstallationClient;
  registrar = apps
    ? new InstallationRegistrar(
        apps.map((app): RegistrarApp => ({
          name: app.name,
          platforms: app.platforms.map((p) => (p === "apple" ? "apns" : "fcmv1")),
          partitions: app.partitions.map((p) => client(p.connectionString, p.hubName)),
          growingFrom: app.growingFrom,
        })),
        settings.allowedClientIds,
      )
    : new InstallationRegistrar(client(settings.connectionString, settings.hubName), settings.allowedClientIds);
  return registrar;
}

// Anonymous at the function level: App Service authentication (Entra ID, allowed client
// applications) guards the route, and the registrar checks the principal again.
app.http(REGISTRATION_FUNCTION_NAME, {
  route: REGISTRATION_ROUTE,
  methods: ["PUT", "DELETE"],
  authLevel: "anonymous",
  handler: async (request, context) => {
    const log = loggerFor(context);
    // The caller's identity arrives in headers App Service authentication sets; with it off, any
    // client could send those headers itself, so nothing is trusted.
    if ((process.env.WEBSITE_AUTH_ENABLED ?? "").toLowerCase() !== "true") {
      log.error("device registration refused: App Service authentication is not enabled on this app");
      return { status: 503, jsonBody: { error: "device registration is not enabled on this app" } };
    }
    let current: InstallationRegistrar;
    try {
      current = currentRegistrar();
    } catch (error) {
      log.error((error as Error).message);
      return { status: 500, jsonBody: { error: "device registration is not configured on this app" } };
    }
    let body: unknown;
    // DELETE names the user whose installation goes, as the userId query parameter.
    if (request.method === "DELETE")
      body = { userId: request.query.get("userId") ?? undefined, app: request.query.get("app") ?? undefined };
    if (request.method === "PUT") {
      try {
        body = await request.json();
      } catch {
        return { status: 400, jsonBody: { error: "the body must be JSON" } };
      }
    }
    const answer = await current.handle(
      request.method,
      request.params.installationId,
      request.headers.get("x-ms-client-principal"),
      body,
      log,
    );
    return answer.status === 204 ? { status: 204 } : { status: answer.status, jsonBody: answer.body };
  },
});
