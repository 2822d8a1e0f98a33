import { createHash } from "node:crypto";
import { createHubClient } from "../../function/src/hubClient";
import {
  HubClient,
  PushSender,
  SenderLog,
  SenderOptions,
  TransientSendError,
  DeadLetterSink,
} from "../../function/src/pushSender";
import { userTag } from "../../function/src/tags";
import { FakeNotificationHubs, fakeHubCa } from "../support/fakeNotificationHubs";

const RECIPIENT = "8:acs:1b5cc06b-f352-4571-b1e6-d9b259b7c776_00000007-1234-5678-90ab-cdef00000000";
const SENDER = "8:acs:1b5cc06b-f352-4571-b1e6-d9b259b7c776_00000007-aaaa-bbbb-cccc-dddd00000000";
const BODY = "Meet me at the clinic at 5, room 12 — bring the test results";

function chatEvent(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    eventType: "Microsoft.Communication.ChatMessageReceived",
    data: {
      messageBody: BODY,
      messageId: `msg-${id}`,
      senderCommunicationIdentifier: { rawId: SENDER },
      senderDisplayName: "Dr. Rivera",
      recipientCommunicationIdentifier: { rawId: RECIPIENT, communicationUser: { id: RECIPIENT } },
      threadId: "19:thread@thread.v2",
      type: "Text",
      ...overrides,
    },
  };
}

class RecordingLog implements SenderLog {
  readonly lines: string[] = [];
  info = (m: string) => void this.lines.push(`info ${m}`);
  warn = (m: string) => void this.lines.push(`warn ${m}`);
  error = (m: string) => void this.lines.push(`error ${m}`);
}

describe("push sender against a local Notification Hubs endpoint (real @azure/notification-hubs client)", () => {
  const hub = new FakeNotificationHubs();
  let client: HubClient;
  const options: SenderOptions = { platforms: ["apple", "fcmv1"], includePreview: false, sendChatMessages: true, concurrency: 4 };
  const deadLetters: { id: string; record: Record<string, unknown> }[] = [];
  const deadLetter: DeadLetterSink = { write: async (id, record) => void deadLetters.push({ id, record }) };
  let log: RecordingLog;

  beforeAll(async () => {
    await hub.start();
    client = createHubClient(hub.connectionString(), "acs-hub", {
      tlsOptions: { ca: fakeHubCa },
      retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 },
    });
  });
  afterAll(() => hub.stop());
  beforeEach(() => {
    hub.sends.length = 0;
    deadLetters.length = 0;
    hub.delayMs = 0;
    hub.maxInFlight = 0;
    log = new RecordingLog();
  });

  const sender = (overrides: Partial<SenderOptions> = {}) => new PushSender(client, { ...options, ...overrides }, deadLetter);

  it("addresses one APNs and one FCM v1 notification to the recipient's tag", async () => {
    expect(await sender().handle(chatEvent("e1"), log)).toBe("sent");
    expect(hub.sends.map((s) => s.format).sort()).toEqual(["apple", "fcmv1"]);
    const tag = `user_${createHash("sha256").update(RECIPIENT).digest("hex")}`;
    expect(userTag(RECIPIENT)).toBe(tag);
    for (const send of hub.sends) {
      expect(send.hub).toBe("acs-hub");
      expect(send.tags).toBe(tag);
    }
  });

  it("signs one SAS token and reuses it, instead of signing every request", async () => {
    await sender().handle(chatEvent("sas1"), log);
    await sender().handle(chatEvent("sas2"), log);
    const tokens = new Set(hub.sends.map((s) => s.headers.authorization));
    expect(hub.sends).toHaveLength(4);
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^SharedAccessSignature sr=.+&sig=.+&se=\d+&skn=acs-send$/);
  });

  it("sends an APNs alert with deep-link data and the headers APNs needs", async () => {
    await sender().handle(chatEvent("e2"), log);
    const apple = hub.sends.find((s) => s.format === "apple")!;
    expect(apple.body).toEqual({
      aps: {
        alert: { title: "Dr. Rivera", body: "New message" },
        sound: "default",
        "thread-id": "19:thread@thread.v2",
        "mutable-content": 1,
      },
      acs: {
        eventType: "Microsoft.Communication.ChatMessageReceived",
        threadId: "19:thread@thread.v2",
        messageId: "msg-e2",
        senderDisplayName: "Dr. Rivera",
      },
    });
    expect(apple.headers["apns-push-type"]).toBe("alert");
    expect(apple.headers["apns-priority"]).toBe("10");
    expect(apple.headers["apns-collapse-id"]).toBe("msg-e2");
  });

  it("sends an FCM v1 message with notification, string data and high priority", async () => {
    await sender().handle(chatEvent("e3"), log);
    const fcm = hub.sends.find((s) => s.format === "fcmv1")!;
    expect(fcm.body).toEqual({
      message: {
        notification: { title: "Dr. Rivera", body: "New message" },
        data: {
          eventType: "Microsoft.Communication.ChatMessageReceived",
          threadId: "19:thread@thread.v2",
          messageId: "msg-e3",
          senderDisplayName: "Dr. Rivera",
        },
        android: { priority: "high", collapse_key: "msg-e3" },
      },
    });
  });

  it("includes the message text only when previews are enabled", async () => {
    await sender().handle(chatEvent("e4"), log);
    expect(JSON.stringify(hub.sends)).not.toContain("clinic");
    hub.sends.length = 0;
    await sender({ includePreview: true }).handle(chatEvent("e5"), log);
    expect((hub.sends.find((s) => s.format === "apple")!.body as { aps: { alert: { body: string } } }).aps.alert.body).toBe(BODY);
  });

  it("truncates long previews to fit a lock screen", async () => {
    await sender({ includePreview: true }).handle(chatEvent("e6", { messageBody: "x".repeat(1000) }), log);
    const body = hub.sends[0].body as { aps?: { alert: { body: string } }; message?: { notification: { body: string } } };
    const text = body.aps?.alert.body ?? body.message!.notification.body;
    expect([...text]).toHaveLength(180);
    expect(text.endsWith("…")).toBe(true);
  });

  it("sends only the configured platforms", async () => {
    await sender({ platforms: ["fcmv1"] }).handle(chatEvent("e7"), log);
    expect(hub.sends.map((s) => s.format)).toEqual(["fcmv1"]);
  });

  it("does not notify twice for the same event id, in sequence or concurrently", async () => {
    const s = sender();
    expect(await s.handle(chatEvent("dup"), log)).toBe("sent");
    expect(await s.handle(chatEvent("dup"), log)).toBe("duplicate");
    hub.delayMs = 20;
    const outcomes = await s.handleBatch([chatEvent("twin"), chatEvent("twin")], log);
    expect(outcomes.sort()).toEqual(["duplicate", "sent"]);
    expect(hub.sends).toHaveLength(4);
  });

  it.each([429, 500, 503])(
    "fails the invocation on HTTP %i so Event Grid retries, and lets the retry through",
    async (status) => {
      const s = sender({ platforms: ["apple"] });
      hub.failNext(status, status);
      await expect(s.handle(chatEvent(`t${status}`), log)).rejects.toBeInstanceOf(TransientSendError);
      expect(deadLetters).toHaveLength(0);
      expect(await s.handle(chatEvent(`t${status}`), log)).toBe("sent");
    },
  );

  it.each([400, 401, 403, 404, 413])(
    "logs a permanent HTTP %i once, dead-letters it and does not ask for a retry",
    async (status) => {
      hub.failNext(status);
      const s = sender({ platforms: ["apple"] });
      expect(await s.handle(chatEvent(`p${status}`), log)).toBe("dead-lettered");
      expect(log.lines.filter((l) => l.startsWith("error"))).toHaveLength(1);
      expect(deadLetters).toEqual([
        {
          id: `p${status}`,
          record: expect.objectContaining({ eventId: `p${status}`, reason: expect.stringMatching(new RegExp(`HTTP ${status}`)) }),
        },
      ]);
      // Event Grid delivering it again changes nothing and sends nothing.
      expect(await s.handle(chatEvent(`p${status}`), log)).toBe("duplicate");
    },
  );

  it("dead-letters a malformed event without sending", async () => {
    const outcome = await sender().handle(chatEvent("bad", { recipientCommunicationIdentifier: undefined }), log);
    expect(outcome).toBe("dead-lettered");
    expect(hub.sends).toHaveLength(0);
    expect(deadLetters[0].record.reason).toMatch(/no data.recipientCommunicationIdentifier.rawId/);
  });

  it("ignores event types it does not push, and chat messages when they are pushed natively", async () => {
    expect(await sender().handle({ id: "call", eventType: "Microsoft.Communication.IncomingCall", data: {} }, log)).toBe(
      "ignored",
    );
    expect(await sender({ sendChatMessages: false }).handle(chatEvent("native"), log)).toBe("ignored");
    expect(hub.sends).toHaveLength(0);
    expect(log.lines.join("\n")).toMatch(/type Microsoft.Communication.IncomingCall is not pushed by this function, ignored/);
  });

  it("pushes thread invitations with their own text", async () => {
    await sender().handle(
      {
        id: "thread",
        eventType: "Microsoft.Communication.ChatThreadCreatedWithUser",
        data: {
          recipientCommunicationIdentifier: { rawId: RECIPIENT },
          threadId: "19:new@thread.v2",
          createdBy: { displayName: "Ana" },
        },
      },
      log,
    );
    expect((hub.sends.find((s) => s.format === "apple")!.body as { aps: { alert: unknown } }).aps.alert).toEqual({
      title: "Ana",
      body: "Started a conversation with you",
    });
  });

  it("handles a batch with at most `concurrency` events in flight", async () => {
    hub.delayMs = 15;
    const events = Array.from({ length: 12 }, (_, i) => chatEvent(`batch-${i}`));
    const outcomes = await sender({ platforms: ["apple"], concurrency: 3 }).handleBatch(events, log);
    expect(outcomes).toEqual(Array(12).fill("sent"));
    expect(hub.maxInFlight).toBeLessThanOrEqual(3);
    expect(hub.maxInFlight).toBeGreaterThan(1);
  });

  it("never logs message text, the connection string or its key", async () => {
    hub.failNext(400);
    await sender({ includePreview: true }).handle(chatEvent("log1"), log);
    await sender({ includePreview: true }).handle(chatEvent("log2"), log);
    const all = log.lines.join("\n") + JSON.stringify(deadLetters);
    expect(all).not.toContain("clinic");
    expect(all).not.toContain("SharedAccessKey");
    expect(all).not.toContain(hub.connectionString().split("SharedAccessKey=")[1]);
    expect(all).toMatch(/event log2: apple notification \d+ accepted/);
  });
});
