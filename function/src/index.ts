// Azure Functions entry point (Node v4 programming model): one Event Grid-triggered function.
import { app, InvocationContext } from "@azure/functions";
import { BlobDeadLetter } from "./deadLetter";
import { createHubClient } from "./hubClient";
import { PushSender } from "./pushSender";
import { readSettings } from "./settings";
import { PUSH_FUNCTION_NAME } from "./contract";

// Nothing is read at module load: a module that throws while loading registers no function, the
// host indexes none, and Event Grid then rejects the subscription or fails every delivery. A bad
// setting instead fails each invocation with one message naming it, so Event Grid retries and
// the failure shows in Application Insights and the alerts.
let sender: PushSender | undefined;

function currentSender(): PushSender {
  if (sender) return sender;
  // Throws SettingsError naming every bad setting, never a value; not cached, so a restart
  // with fixed settings (or a Key Vault reference that now resolves) works at once.
  const settings = readSettings(process.env);
  // One client per process, reused by every invocation (it keeps its HTTP connections alive).
  const client = createHubClient(settings.connectionString, settings.hubName);
  const deadLetter = settings.deadLetterUrl ? new BlobDeadLetter(settings.deadLetterUrl) : undefined;
  // One sender per process too: it remembers which events this instance already pushed.
  sender = new PushSender(client, settings, deadLetter);
  return sender;
}

function loggerFor(context: InvocationContext) {
  return { info: (m: string) => context.log(m), warn: (m: string) => context.warn(m), error: (m: string) => context.error(m) };
}

app.eventGrid(PUSH_FUNCTION_NAME, {
  handler: async (event, context) => {
    const log = loggerFor(context);
    let current: PushSender;
    try {
      current = currentSender();
    } catch (error) {
      log.error(`event ${event.id}: ${(error as Error).message}`);
      throw error;
    }
    await current.handle(event, log);
  },
});
