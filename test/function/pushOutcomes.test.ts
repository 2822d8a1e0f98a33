import { HubClient, HubNotification, PushSender, SenderOptions } from "../../function/src/pushSender";
import { LEDGER_MARKER } from "../../function/src/ledger";
import { TransientSendError } from "../../function/src/sendErrors";
import { userTag } from "../../function/src/tags";
import { publishedEvent } from "../support/azureFixtures";

// Azure's published ChatMessageReceived example.
const published = publishedEvent("chatMessageReceived");
const RECIPIENT = (published.data.recipientCommunicationIdentifier as { rawId: string }).rawId;
const event = (id: string) => ({ ...published, id, data: { ...published.data, messageId: `msg-${id}` } });
const options: SenderOptions = { platforms: ["apple", "fcmv1"], includePreview: false, sendChatMessages: true };

/** A hub client answering per platform: an id, or an error with an HTTP status (or none: a network failure). */
class ScriptedHub implements HubClient {
  readonly sent: { notification: HubNotification; tag: string }[] = [];
  constructor(private readonly answers: Partial<Record<"apple" | "fcmv1", number | "network" | "no-id">> = {}) {}
  async sendNotification(notification: HubNotification, { tagExpression }: { tagExpression: string }) {
    this.sent.push({ notification, tag: tagExpression });
    const answer = this.answers[notification.platform];
    if (answer === "network") throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    if (typeof answer === "number") throw Object.assign(new Error("hub error"), { statusCode: answer });
    return answer === "no-id" ? {} : { notificationId: `n-${notification.platform}` };
  }
}

function run(hub: ScriptedHub, overrides: Partial<SenderOptions> = {}, deadLetterFails = false) {
  const lines: string[] = [];
  const log = {
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
  const deadLetters: { id: string; record: Record<string, unknown> }[] = [];
  const sink = {
    write: async (id: string, record: Record<string, unknown>) => {
      if (deadLetterFails) throw new Error("storage said 403");
      deadLetters.push({ id, record });
    },
  };
  const sender = new PushSender(hub, { ...options, ...overrides }, sink);
  return { sender, log, lines, deadLetters };
}

describe("what the sender does with each answer of the hub", () => {
  it("sends both platforms to the recipient's tag, with JSON bodies, and logs each accepted notification", async () => {
    const hub = new ScriptedHub({ fcmv1: "no-id" });
    const { sender, log, lines } = run(hub);
    expect(await sender.handle(event("e1"), log)).toBe("sent");
    expect(hub.sent.map((s) => [s.notification.platform, s.notification.contentType, s.tag])).toEqual([
      ["apple", "application/json;charset=utf-8", userTag(RECIPIENT)],
      ["fcmv1", "application/json;charset=utf-8", userTag(RECIPIENT)],
    ]);
    expect(lines.filter((line) => !line.includes(LEDGER_MARKER))).toEqual([
      "info event e1: pushing Microsoft.Communication.ChatMessageReceived to apple, fcmv1",
      "info event e1: apple notification n-apple accepted",
      "info event e1: fcmv1 notification (no id) accepted",
    ]);
    // The same event again is a duplicate, said once.
    expect(await sender.handle(event("e1"), log)).toBe("duplicate");
    expect(lines.at(-1)).toBe("info event e1: already pushed by this instance, skipped");
  });

  it("fails for a retry when the hub refuses the credential, naming what to check", async () => {
    const { sender, log, lines } = run(new ScriptedHub({ apple: 401 }));
    await expect(sender.handle(event("e2"), log)).rejects.toThrow(
      new TransientSendError("event e2: apple send failed with HTTP 401"),
    );
    expect(lines.filter((l) => !l.startsWith("info"))).toEqual([
      "error event e2: the hub refused the function's credential (apple send failed with HTTP 401); check NOTIFICATION_HUB_CONNECTION_STRING's Key Vault reference and the Send rule's key; failing so Event Grid retries",
    ]);
  });

  it("fails for a retry on throttling or no answer, listing every platform's failure", async () => {
    const { sender, log, lines } = run(new ScriptedHub({ apple: 429, fcmv1: "network" }));
    await expect(sender.handle(event("e3"), log)).rejects.toThrow(
      "event e3: apple send failed with HTTP 429; fcmv1 send failed (ECONNRESET)",
    );
    expect(lines.filter((l) => !l.startsWith("info"))).toEqual([
      "warn event e3: apple send failed with HTTP 429; fcmv1 send failed (ECONNRESET); failing so Event Grid retries",
    ]);
    // Not remembered as pushed: the retry is handled.
    const again = run(new ScriptedHub());
    expect(await again.sender.handle(event("e3"), again.log)).toBe("sent");
  });

  it("retries a mix of a refused credential and a permanent failure, and logs it as the credential problem", async () => {
    const { sender, log, lines, deadLetters } = run(new ScriptedHub({ apple: 403, fcmv1: 400 }));
    await expect(sender.handle(event("e4"), log)).rejects.toThrow(TransientSendError);
    expect(lines.filter((l) => l.startsWith("error"))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("warn"))).toEqual([]);
    expect(deadLetters).toEqual([]);
  });

  it("dead-letters a permanent failure once, with what failed, and never retries it", async () => {
    const { sender, log, lines, deadLetters } = run(new ScriptedHub({ fcmv1: 400 }));
    expect(await sender.handle(event("e5"), log)).toBe("dead-lettered");
    expect(lines.filter((l) => !l.startsWith("info"))).toEqual([
      "error event e5: not deliverable, not retried: fcmv1 send failed with HTTP 400",
    ]);
    expect(deadLetters).toEqual([
      {
        id: "e5",
        record: {
          eventId: "e5",
          eventType: "Microsoft.Communication.ChatMessageReceived",
          reason: "fcmv1 send failed with HTTP 400",
          at: expect.any(String),
        },
      },
    ]);
    expect(await sender.handle(event("e5"), log)).toBe("duplicate");
  });

  it("says so when the dead-letter record cannot be written, and still gives up", async () => {
    const { sender, log, lines } = run(new ScriptedHub({ apple: 410 }), { platforms: ["apple"] }, true);
    expect(await sender.handle(event("e6"), log)).toBe("dead-lettered");
    expect(lines.at(-1)).toBe("error event e6: could not record the failure in the dead-letter container: storage said 403");
  });

  it("gives up without a sink too", async () => {
    const hub = new ScriptedHub({ apple: 400 });
    const lines: string[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (m: string) => lines.push(m) };
    expect(await new PushSender(hub, { ...options, platforms: ["apple"] }).handle(event("e7"), log)).toBe("dead-lettered");
    expect(lines).toEqual(["event e7: not deliverable, not retried: apple send failed with HTTP 400"]);
  });

  it("ignores chat messages when apps push them natively, and says why", async () => {
    const { sender, log, lines } = run(new ScriptedHub(), { sendChatMessages: false });
    expect(await sender.handle(event("e8"), log)).toBe("ignored");
    expect(lines).toEqual(["info event e8: chat messages are pushed natively by the ACS SDK, ignored"]);
  });

  it("dead-letters an event with no type in either schema as 'unknown'", async () => {
    const { sender, log, deadLetters } = run(new ScriptedHub());
    const { eventType: _eventType, ...untyped } = event("e9");
    expect(await sender.handle(untyped as never, log)).toBe("dead-lettered");
    expect(deadLetters[0].record).toMatchObject({ eventType: "unknown" });
  });
});
