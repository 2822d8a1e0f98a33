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
import { functionPackage } from "../components/functionPackage";
import { HubClient, HubNotification, PushSender, SenderLog } from "../function/src/pushSender";
import { fakeHubCa } from "../test/support/fakeNotificationHubs";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 4000);
const CONCURRENCY = 32;
const RECIPIENT = "8:acs:1b5cc06b-f352-4571-b1e6-d9b259b7c776_00000007-1234-5678-90ab-cdef00000000";
const quiet: SenderLog = { info() {}, warn() {}, error() {} };

function event(i: number, run: string) {
  return {
    id: `${run}-${i}`,
    eventType: "Microsoft.Communication.ChatMessageReceived",
    data: {
      messageBody: "hello",
      messageId: `m${i}`,
      senderDisplayName: "Ana",
      senderCommunicationIdentifier: { rawId: "8:acs:sender" },
      recipientCommunicationIdentifier: { rawId: `${RECIPIENT}-${i % 50}` },
      threadId: "19:t@thread.v2",
    },
  };
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
      concurrency: CONCURRENCY,
    };
    // Baseline: the SDK client as it ships, sending the same two notifications per event.
    const client = new NotificationHubsClient(connectionString, "bench-hub", {
      tlsOptions: { ca: fakeHubCa },
    }) as unknown as HubClient;
    // The function's client: the same SDK, reusing its SAS token.
    const sender = new PushSender(createHubClient(connectionString, "bench-hub", { tlsOptions: { ca: fakeHubCa } }), {
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
    await sender.handleBatch(
      Array.from({ length: 200 }, (_, i) => event(i, "warm")),
      quiet,
    );
    const results: { sender: Result[]; baseline: Result[]; offline: Result[] } = { sender: [], baseline: [], offline: [] };
    for (let round = 0; round < 3; round++) {
      results.offline.push(
        await measure(
          async () =>
            void (await offline.handleBatch(
              Array.from({ length: EVENTS }, (_, i) => event(i, `o${round}`)),
              quiet,
            )),
        ),
      );
      results.sender.push(
        await measure(
          async () =>
            void (await sender.handleBatch(
              Array.from({ length: EVENTS }, (_, i) => event(i, `r${round}`)),
              quiet,
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
      `push sender, ${EVENTS} chat events × 2 platforms, ${CONCURRENCY} in flight, median of 3 rounds (fake hub in its own process)`,
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
