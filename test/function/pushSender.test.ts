import { createHash } from "node:crypto";
import { createHubClient } from "../../function/src/hubClient";
import {
  HubClient,
  PushSender,
  SenderLog,
  SenderOptions,
  TransientSendError,
  CredentialRefusedError,
  DeadLetterSink,
} from "../../function/src/pushSender";
import { userTag } from "../../function/src/tags";
import { classifySendError, PermanentSendError } from "../../function/src/sendErrors";
import { SILENT_PIPELINE_QUERY } from "../../components/pushAlerts";
import { LEDGER_MARKER } from "../../function/src/ledger";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { publishedEvent } from "../support/azureFixtures";
import { LOCALHOST_CA } from "../support/tlsFake";

// Azure's published ChatMessageReceived example; tests change only what they name.
const published = publishedEvent("chatMessageReceived");
const RECIPIENT = (published.data.recipientCommunicationIdentifier as { rawId: string }).rawId;
const SENDER = (published.data.senderCommunicationIdentifier as { rawId: string }).rawId;
const SENDER_NAME = published.data.senderDisplayName as string;
const THREAD = published.data.threadId as string;
// A body with personal data in it, to prove it never reaches a log or a push without previews.
const BODY = "Meet me at the clinic at 5, room 12 — bring the test results";

function chatEvent(id: string, overrides: Record<string, unknown> = {}) {
  const event = publishedEvent("chatMessageReceived");
  return { ...event, id, data: { ...event.data, messageBody: BODY, messageId: `msg-${id}`, ...overrides } };
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
  const options: SenderOptions = { platforms: ["apple", "fcmv1"], includePreview: false, sendChatMessages: true };
  const deadLetters: { id: string; record: Record<string, unknown> }[] = [];
  const deadLetter: DeadLetterSink = { write: async (id, record) => void deadLetters.push({ id, record }) };
  let log: RecordingLog;

  beforeAll(async () => {
    await hub.start();
    client = createHubClient(hub.connectionString(), "acs-hub", {
      tlsOptions: { ca: LOCALHOST_CA },
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
        alert: { title: SENDER_NAME, body: "New message" },
        sound: "default",
        "thread-id": THREAD,
        "mutable-content": 1,
      },
      acs: {
        eventType: "Microsoft.Communication.ChatMessageReceived",
        threadId: THREAD,
        messageId: "msg-e2",
        senderDisplayName: SENDER_NAME,
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
        notification: { title: SENDER_NAME, body: "New message" },
        data: {
          eventType: "Microsoft.Communication.ChatMessageReceived",
          threadId: THREAD,
          messageId: "msg-e3",
          senderDisplayName: SENDER_NAME,
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
    const outcomes = await Promise.all([s.handle(chatEvent("twin"), log), s.handle(chatEvent("twin"), log)]);
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

  it.each([401, 403])(
    "retries HTTP %i (a refused credential, e.g. the old key after a rotation) and says so, without dead-lettering",
    async (status) => {
      const s = sender({ platforms: ["apple"] });
      hub.failNext(status);
      const error = await s.handle(chatEvent(`c${status}`), log).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientSendError);
      expect(deadLetters).toHaveLength(0);
      expect(log.lines.join("\n")).toMatch(
        new RegExp(
          `error event c${status}: the hub refused the function's credential \\(apple send failed with HTTP ${status}\\).*Key Vault reference.*Event Grid retries`,
        ),
      );
      expect(await s.handle(chatEvent(`c${status}`), log)).toBe("sent");
    },
  );

  it("classifies 401 and 403 as refused credentials", () => {
    expect(classifySendError({ statusCode: 401 }, "apple")).toBeInstanceOf(CredentialRefusedError);
    expect(classifySendError({ statusCode: 403 }, "fcmv1")).toBeInstanceOf(CredentialRefusedError);
    expect(classifySendError({ statusCode: 404 }, "fcmv1")).toBeInstanceOf(PermanentSendError);
  });

  it.each([400, 404, 413])("logs a permanent HTTP %i once, dead-letters it and does not ask for a retry", async (status) => {
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
  });

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

  it("titles a thread invitation with the creator's display name, found in participants[] (published example)", async () => {
    const event = publishedEvent("chatThreadCreatedWithUser");
    expect(await sender().handle(event, log)).toBe("sent");
    const apple = hub.sends.find((s) => s.format === "apple")!;
    expect((apple.body as { aps: { alert: unknown } }).aps.alert).toEqual({
      title: "Bob",
      body: "Started a conversation with you",
    });
    const recipient = (event.data.recipientCommunicationIdentifier as { rawId: string }).rawId;
    expect(apple.tags).toBe(userTag(recipient));
  });

  it("does not tell a thread's creator about the thread they created", async () => {
    const event = publishedEvent("chatThreadCreatedWithUser");
    event.data.recipientCommunicationIdentifier = event.data.createdByCommunicationIdentifier;
    expect(await sender().handle(event, log)).toBe("ignored");
    expect(hub.sends).toHaveLength(0);
  });

  it("pushes nothing to the other members when someone joins a thread (published example)", async () => {
    const event = publishedEvent("chatParticipantAddedToThreadWithUser");
    expect(await sender().handle(event, log)).toBe("ignored");
    expect(hub.sends).toHaveLength(0);
    expect(deadLetters).toHaveLength(0);
    expect(log.lines.filter((l) => l.startsWith("error"))).toEqual([]);
    expect(log.lines.join("\n")).toMatch(/not pushed: addressed to a member other than the participant added/);
  });

  it("tells the participant who was added, and only them", async () => {
    const event = publishedEvent("chatParticipantAddedToThreadWithUser");
    const added = (event.data.participantAdded as { participantCommunicationIdentifier: { rawId: string } })
      .participantCommunicationIdentifier;
    event.data.recipientCommunicationIdentifier = added;
    expect(await sender().handle(event, log)).toBe("sent");
    expect(hub.sends.every((s) => s.tags === userTag(added.rawId))).toBe(true);
    expect((hub.sends.find((s) => s.format === "apple")!.body as { aps: { alert: unknown } }).aps.alert).toEqual({
      title: "New conversation",
      body: "You were added to a conversation",
    });
  });

  it("ignores quietly a message addressed to its own sender: no error, no dead-letter record", async () => {
    const outcome = await sender().handle(
      chatEvent("self", { recipientCommunicationIdentifier: { rawId: SENDER, communicationUser: { id: SENDER } } }),
      log,
    );
    expect(outcome).toBe("ignored");
    expect(hub.sends).toHaveLength(0);
    expect(deadLetters).toHaveLength(0);
    expect(log.lines.filter((l) => !l.startsWith("info"))).toEqual([]);
  });

  it("reads an event delivered in the CloudEvents schema (published example) and says so", async () => {
    const event = publishedEvent("chatMessageReceivedCloudEvent");
    expect(event.eventType).toBeUndefined();
    expect(await sender().handle({ ...event, id: "cloud-1" }, log)).toBe("sent");
    expect(hub.sends).toHaveLength(2);
    expect(log.lines.join("\n")).toMatch(
      /warn event cloud-1: delivered in the CloudEvents 1.0 schema \(type Microsoft.Communication.ChatMessageReceived\)/,
    );
    expect(log.lines.join("\n")).not.toMatch(/undefined/);
  });

  it("dead-letters an event with neither eventType nor type, naming both schemas", async () => {
    expect(await sender().handle({ id: "typeless", data: {} }, log)).toBe("dead-lettered");
    expect(deadLetters[0].record.reason).toMatch(/neither eventType \(Event Grid schema\) nor type \(CloudEvents schema\)/);
  });

  it.each([
    [
      "a Teams user",
      {
        rawId: "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130",
        microsoftTeamsUser: { userId: "45ab2481-1c1c-4005-be24-0ffb879b1130" },
      },
      /Teams notifies its own users/,
    ],
    ["a Teams user (raw id only)", { rawId: "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130" }, /Teams notifies its own users/],
    ["a phone number", { rawId: "4:+14255550123", phoneNumber: { value: "+14255550123" } }, /phone number/],
    ["an unknown kind", { rawId: "99:something-new" }, /of a kind this function does not know/],
  ])("does not push to %s, and says why", async (_kind, identifier, why) => {
    expect(await sender().handle(chatEvent(`kind-${_kind}`, { recipientCommunicationIdentifier: identifier }), log)).toBe(
      "ignored",
    );
    expect(hub.sends).toHaveLength(0);
    expect(deadLetters).toHaveLength(0);
    expect(log.lines.join("\n")).toMatch(why);
  });

  it("pushes to ACS users of sovereign clouds, whose raw ids have their own prefix", async () => {
    expect(
      await sender().handle(chatEvent("gcch", { recipientCommunicationIdentifier: { rawId: "8:gcch-acs:abc_123" } }), log),
    ).toBe("sent");
  });

  // The silent-pipeline alert's query, evaluated as KQL would over the ledger records the sender
  // really writes (startswith is case-insensitive in KQL; the records are parsed as parse_json does).
  function silentPipelineRows(lines: string[]): number {
    const records = lines
      .map((l) => l.replace(/^(info|warn|error) /, ""))
      .filter((m) => m.toLowerCase().startsWith(LEDGER_MARKER.toLowerCase()))
      .map((m) => JSON.parse(m.slice(LEDGER_MARKER.length)) as { step: string; status?: number });
    const attempts = records.filter((r) => r.step === "push-attempted").length;
    const accepted = records.filter((r) => r.step === "hub-answered" && r.status === 201).length;
    return attempts > 0 && accepted === 0 ? 1 : 0;
  }

  it("logs what the silent-pipeline alert needs: quiet when pushes are accepted or nothing was to be pushed", async () => {
    expect(SILENT_PIPELINE_QUERY).toContain(`startswith "${LEDGER_MARKER}"`);
    expect(SILENT_PIPELINE_QUERY).toContain(`substring(message, ${LEDGER_MARKER.length})`);
    expect(SILENT_PIPELINE_QUERY).toMatch(/"push-attempted"[\s\S]*"hub-answered" and toint\(record\.status\) == 201/);
    await sender().handle(chatEvent("quiet-1"), log);
    expect(silentPipelineRows(log.lines)).toBe(0);
    const ignoredOnly = new RecordingLog();
    await sender().handle(publishedEvent("chatParticipantAddedToThreadWithUser"), ignoredOnly);
    expect(silentPipelineRows(ignoredOnly.lines)).toBe(0);
  });

  it("logs what the silent-pipeline alert needs: fires when the hub accepts nothing", async () => {
    hub.failNext(401, 401);
    await sender({ platforms: ["apple"] })
      .handle(chatEvent("silent-1"), log)
      .catch(() => undefined);
    await sender({ platforms: ["apple"] })
      .handle(chatEvent("silent-2"), log)
      .catch(() => undefined);
    expect(silentPipelineRows(log.lines)).toBe(1);
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
