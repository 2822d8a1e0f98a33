/**
 * `npm run bench:sender`: the push sender's throughput and CPU cost per event against a local fake
 * Notification Hubs endpoint (its own process), next to a baseline in the same run: the bare
 * @azure/notification-hubs client sending the same two notifications per event. Also reports the
 * deployed zip's size. Prints a table and a JSON line; no assertion on time.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { NotificationHubsClient } from "@azure/notification-hubs";
import { createHubClient } from "../function/src/hubClient";
import { functionPackage } from "../components/pushSender/functionPackage";
import { HubClient, HubNotification, PushSender, SenderLog } from "../function/src/pushSender";

import { publishedEvent } from "../test/support/azureFixtures";
import { LOCALHOST_CA } from "../test/support/tlsFake";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 4000);
/** Invocations the Functions host runs at once on one instance; each carries one event (maxEventsPerBatch 1). */
const CONCURRENCY = 32;
const quiet: SenderLog = { info() {}, warn() {}, error() {} };
// Azure's published ChatMessageReceived example, with the id and recipient varied per event.
const published = publishedEvent("chatMessageReceived");
const RECIPIENT = (published.data.recipientCommunicationIdentifier as { rawId: string }).rawId;

function event(i: number, run: string) {
  const rawId = `${RECIPIENT}${i % 50}`;
  return {
    ...published,
    id: `${run}-${i}`,
    data: {
      ...published.data,
      messageId: `m${i}`,
      recipientCommunicationIdentifier: { rawId, communicationUser: { id: rawId } },
    },
  };
}

/** Runs one invocation per event, at most CONCURRENCY at once, as the host does with one-event batches. */
async function invokeEach(sender: PushSender, events: ReturnType<typeof event>[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < events.length) await sender.handle(events[next++], quiet);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

interface Result {
  wallMs: number;
  cpuMs: number;
}

async function measure(work: () => Promise<void>): Promise<Result> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

async function main() {
  const root = path.resolve(__dirname, "..");
  const child = spawn(
    process.execPath,
    [path.join(root, "scripts", "run-ts.js"), path.join(root, "bench", "fakeHubProcess.ts")],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve) =>
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  try {
    const connectionString = `Endpoint=sb://127.0.0.1:${port}/;SharedAccessKeyName=acs-send;SharedAccessKey=YmVuY2gta2V5LTAxMjM0NTY3ODk=`;
    const options = {
      platforms: ["apple", "fcmv1"] as const,
      includePreview: false,
      sendChatMessages: true,
    };
    // Baseline: the SDK client as it ships, sending the same two notifications per event.
    const client = new NotificationHubsClient(connectionString, "bench-hub", {
      tlsOptions: { ca: LOCALHOST_CA },
    }) as unknown as HubClient;
    // The function's client: the same SDK, reusing its SAS token.
    const sender = new PushSender(createHubClient(connectionString, "bench-hub", { tlsOptions: { ca: LOCALHOST_CA } }), {
      ...options,
      platforms: [...options.platforms],
    });
    // The sender's own work with no network at all: a hub client that accepts at once.
    const offline = new PushSender(
      { sendNotification: async () => ({ notificationId: "1" }) },
      { ...options, platforms: [...options.platforms] },
    );
    const fixed = (platform: "apple" | "fcmv1"): HubNotification => ({
      platform,
      body: '{"aps":{"alert":"x"}}',
      contentType: "application/json;charset=utf-8",
    });

    // Warm up connections and JIT on both paths before measuring.
    await invokeEach(
      sender,
      Array.from({ length: 200 }, (_, i) => event(i, "warm")),
    );
    const results: { sender: Result[]; baseline: Result[]; offline: Result[] } = { sender: [], baseline: [], offline: [] };
    for (let round = 0; round < 3; round++) {
      results.offline.push(
        await measure(
          async () =>
            void (await invokeEach(
              offline,
              Array.from({ length: EVENTS }, (_, i) => event(i, `o${round}`)),
            )),
        ),
      );
      results.sender.push(
        await measure(
          async () =>
            void (await invokeEach(
              sender,
              Array.from({ length: EVENTS }, (_, i) => event(i, `r${round}`)),
            )),
        ),
      );
      results.baseline.push(
        await measure(async () => {
          let next = 0;
          const worker = async () => {
            while (next < EVENTS) {
              next++;
              await Promise.all([
                client.sendNotification(fixed("apple"), { tagExpression: "user_x" }),
                client.sendNotification(fixed("fcmv1"), { tagExpression: "user_x" }),
              ]);
            }
          };
          await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        }),
      );
    }
    const median = (rs: Result[], key: keyof Result) => [...rs.map((r) => r[key])].sort((a, b) => a - b)[1];
    const s = { wallMs: median(results.sender, "wallMs"), cpuMs: median(results.sender, "cpuMs") };
    const b = { wallMs: median(results.baseline, "wallMs"), cpuMs: median(results.baseline, "cpuMs") };
    const o = { wallMs: median(results.offline, "wallMs"), cpuMs: median(results.offline, "cpuMs") };
    const pkg = functionPackage();
    const summary = {
      events: EVENTS,
      notificationsPerEvent: 2,
      concurrency: CONCURRENCY,
      senderEventsPerSecond: (EVENTS / s.wallMs) * 1000,
      senderCpuMsPerEvent: s.cpuMs / EVENTS,
      senderEventsPerCpuSecond: (EVENTS / s.cpuMs) * 1000,
      baselineEventsPerSecond: (EVENTS / b.wallMs) * 1000,
      baselineCpuMsPerEvent: b.cpuMs / EVENTS,
      cpuRatioSenderToBaseline: s.cpuMs / b.cpuMs,
      offlineEventsPerCpuSecond: (EVENTS / o.cpuMs) * 1000,
      offlineCpuMsPerEvent: o.cpuMs / EVENTS,
      zipBytes: pkg.bytes,
    };
    console.log(
      `push sender, ${EVENTS} chat events (published example) × 2 platforms, one event per invocation, ${CONCURRENCY} invocations in flight, median of 3 rounds (fake hub in its own process)`,
    );
    console.log(
      `sender (SDK, SAS token reused): ${summary.senderEventsPerSecond.toFixed(0)} events/s wall, ${summary.senderCpuMsPerEvent.toFixed(3)} CPU-ms/event → ${summary.senderEventsPerCpuSecond.toFixed(0)} events per CPU-second`,
    );
    console.log(
      `baseline (SDK as shipped): ${summary.baselineEventsPerSecond.toFixed(0)} events/s wall, ${summary.baselineCpuMsPerEvent.toFixed(3)} CPU-ms/event (bare client, same two sends)`,
    );
    console.log(`CPU ratio sender/baseline: ${summary.cpuRatioSenderToBaseline.toFixed(2)}x`);
    console.log(
      `sender without network (hub client answers at once): ${summary.offlineCpuMsPerEvent.toFixed(4)} CPU-ms/event → ${summary.offlineEventsPerCpuSecond.toFixed(0)} events per CPU-second`,
    );
    console.log(`deployed zip: ${(pkg.bytes / 1024).toFixed(0)} KB`);
    console.log(JSON.stringify(summary));
  } finally {
    child.kill("SIGTERM");
  }
}

void main();
