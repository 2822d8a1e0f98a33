// Azure Functions entry point (Node v4 programming model): one Event Grid-triggered function.
import { app, InvocationContext } from "@azure/functions";
import { BlobDeadLetter } from "./deadLetter";
import { createHubClient } from "./hubClient";
import { PushSender } from "./pushSender";
import { readSettings } from "./settings";

// Read once per process; a bad setting fails every invocation with the same clear message.
const settings = readSettings(process.env);
// One client per process, reused by every invocation (it keeps its HTTP connections alive).
const client = createHubClient(settings.connectionString, settings.hubName);
const deadLetter = settings.deadLetterUrl ? new BlobDeadLetter(settings.deadLetterUrl) : undefined;
// One sender per process too: it remembers which events this instance already pushed.
const sender = new PushSender(client, settings, deadLetter);

function loggerFor(context: InvocationContext) {
  return { info: (m: string) => context.log(m), warn: (m: string) => context.warn(m), error: (m: string) => context.error(m) };
}

app.eventGrid("sendPush", {
  handler: async (event, context) => {
    await sender.handle(event, loggerFor(context));
  },
});
