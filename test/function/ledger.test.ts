import * as fs from "node:fs";
import * as path from "node:path";
import { createHubClient } from "../../function/src/hubClient";
import { DeadLetterSink, HubClient, PushSender } from "../../function/src/pushSender";
import { LEDGER_MARKER, ledgerLine, parseLedgerLine, threadHash } from "../../function/src/ledger";
import { userTag } from "../../function/src/tags";
import { LedgerLog } from "../support/ledgerLog";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { publishedEvent } from "../support/azureFixtures";
import { LOCALHOST_CA } from "../support/tlsFake";

// Azure's published ChatMessageReceived example, as Event Grid delivers it.
const published = publishedEvent("chatMessageReceived");
const RECIPIENT = (published.data.recipientCommunicationIdentifier as { rawId: string }).rawId;
const THREAD = published.data.threadId as string;
const BODY = "Meet me at the clinic at 5, room 12";

function chatEvent(id: string, eventTime?: string) {
  const event = publishedEvent("chatMessageReceived");
  return { ...event, id, ...(eventTime ? { eventTime } : {}), data: { ...event.data, messageBody: BODY } };
}

describe("the delivery ledger the push sender writes (real hub client, local hub)", () => {
  const hub = new FakeNotificationHubs();
  let client: HubClient;
  const deadLetter: DeadLetterSink = { write: async () => undefined };
  let log: LedgerLog;
  const sender = (platforms: ("apple" | "fcmv1")[] = ["apple", "fcmv1"]) =>
    new PushSender(client, { platforms, includePreview: false, sendChatMessages: true }, deadLetter);

  beforeAll(async () => {
    await hub.start();
    client = createHubClient(hub.connectionString(), "acs-hub", {
      tlsOptions: { ca: LOCALHOST_CA },
      retryOptions: { maxRetries: 0, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
    });
  });
  afterAll(() => hub.stop());
  beforeEach(() => {
    log = new LedgerLog();
  });

  it("records each step of a delivered event: received, attempted and accepted per platform, with the hub's ids", async () => {
    const raised = new Date(Date.now() - 1500).toISOString();
    expect(await sender().handle(chatEvent("ok-1", raised), log)).toBe("sent");
    expect(log.steps().sort()).toEqual(
      [
        "event-received",
        "push-attempted apple",
        "push-attempted fcmv1",
        "hub-answered apple 201",
        "hub-answered fcmv1 201",
        // A Free hub (the default tier) reports no per-message outcome: the ledger says so.
        "pns-outcome apple",
        "pns-outcome fcmv1",
      ].sort(),
    );
    for (const outcome of log.records.filter((r) => r.step === "pns-outcome"))
      expect(outcome).toMatchObject({
        pnsState: "unavailable",
        reason: expect.stringMatching(/Standard tier; this hub is Free/),
      });
    const received = log.records.find((r) => r.step === "event-received")!;
    expect(received).toMatchObject({
      eventId: "ok-1",
      eventType: "Microsoft.Communication.ChatMessageReceived",
      recipientTag: userTag(RECIPIENT),
      threadHash: threadHash(THREAD),
    });
    for (const answer of log.records.filter((r) => r.step === "hub-answered")) {
      // The notification id is the Location header's, the tracking id the hub's own header.
      expect(answer.notificationId).toMatch(/^\d+$/);
      expect(answer.trackingId).toBe(answer.notificationId);
      expect(answer.latencyMs).toBeGreaterThanOrEqual(1500);
      expect(answer.latencyMs).toBeLessThan(60_000);
    }
  });

  it("records the hub's refusal of the credential and the retry Event Grid will make", async () => {
    hub.failNext(401);
    await expect(sender(["apple"]).handle(chatEvent("cred-1"), log)).rejects.toThrow(/HTTP 401/);
    expect(log.steps()).toEqual(["event-received", "push-attempted apple", "hub-answered apple 401", "retried"]);
    expect(log.records.at(-1)).toMatchObject({ recipientTag: userTag(RECIPIENT), reason: "apple send failed with HTTP 401" });
  });

  it("records a payload the platform refused as dead-lettered, with the status", async () => {
    hub.failNext(400);
    expect(await sender(["fcmv1"]).handle(chatEvent("bad-1"), log)).toBe("dead-lettered");
    expect(log.steps()).toEqual(["event-received", "push-attempted fcmv1", "hub-answered fcmv1 400", "dead-lettered"]);
    expect(log.records.at(-1)).toMatchObject({ recipientTag: userTag(RECIPIENT), reason: "fcmv1 send failed with HTTP 400" });
  });

  it("records an event that cannot be read as dead-lettered, by its id alone", async () => {
    const malformed = { ...publishedEvent("chatMessageReceived"), id: "malformed-1", data: { threadId: THREAD } };
    expect(await sender().handle(malformed, log)).toBe("dead-lettered");
    expect(log.records).toEqual([expect.objectContaining({ step: "dead-lettered", eventId: "malformed-1" })]);
    expect(log.records[0].recipientTag).toBeUndefined();
  });

  it("writes nothing for events it does not push", async () => {
    await sender().handle(publishedEvent("chatParticipantAddedToThreadWithUser"), log);
    expect(log.records).toEqual([]);
  });

  it("never holds the raw id, the thread id or the message text", async () => {
    await sender().handle(chatEvent("private-1"), log);
    const ledger = log.lines.filter((l) => l.startsWith(LEDGER_MARKER)).join("\n");
    expect(ledger.length).toBeGreaterThan(0);
    for (const secret of [RECIPIENT, THREAD, BODY, "clinic"]) expect(ledger).not.toContain(secret);
  });
});

describe("ledger lines", () => {
  it("read back what was written, with version and time", () => {
    const line = ledgerLine({ step: "retried", eventId: "e", reason: "x" }, new Date("2026-01-02T03:04:05Z"));
    expect(parseLedgerLine(line)).toEqual({ v: 1, at: "2026-01-02T03:04:05.000Z", step: "retried", eventId: "e", reason: "x" });
  });

  it.each([
    ["another line", "event e: pushing"],
    ["the marker and no JSON", `${LEDGER_MARKER}{not json`],
    ["another version", `${LEDGER_MARKER}{"v":2,"step":"retried","eventId":"e","at":"x"}`],
    ["an unknown step", `${LEDGER_MARKER}{"v":1,"step":"sent","eventId":"e","at":"x"}`],
    ["no event id", `${LEDGER_MARKER}{"v":1,"step":"retried","at":"x"}`],
  ])("refuse %s", (_what, line) => {
    expect(parseLedgerLine(line)).toBeUndefined();
  });
});

describe("the operators' ledger query (docs/troubleshooting.md)", () => {
  it("reads the records by the marker and offset the sender writes", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "troubleshooting.md"), "utf8");
    expect(doc).toContain(`startswith "${LEDGER_MARKER}"`);
    expect(doc).toContain(`substring(message, ${LEDGER_MARKER.length})`);
  });
});
