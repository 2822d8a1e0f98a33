import { applePayload, fcmV1Payload } from "../../function/src/payloads";
import type { PushIntent } from "../../function/src/events";

const intent: PushIntent = {
  eventId: "e1",
  eventType: "Microsoft.Communication.ChatMessageReceived",
  recipientRawId: "8:acs:r",
  threadId: "19:thread@thread.v2",
  messageId: "1700000000000",
  actorDisplayName: "Bob",
  messageBody: "hello",
};
const withPreview = { includePreview: true };

describe("push payloads at their limits", () => {
  it("keeps a preview of exactly 180 characters whole, and cuts a longer one to 179 plus an ellipsis", () => {
    const exact = "é".repeat(180);
    expect(
      (applePayload({ ...intent, messageBody: exact }, withPreview).body.aps as { alert: { body: string } }).alert.body,
    ).toBe(exact);
    const long = `${"a".repeat(180)}b`;
    expect((applePayload({ ...intent, messageBody: long }, withPreview).body.aps as { alert: { body: string } }).alert.body).toBe(
      `${"a".repeat(179)}…`,
    );
  });

  it("cuts the APNs collapse id to APNs' 64 bytes, and leaves FCM's collapse key whole", () => {
    const id = "m".repeat(70);
    expect(applePayload({ ...intent, messageId: id }, withPreview).headers["apns-collapse-id"]).toBe("m".repeat(64));
    expect((fcmV1Payload({ ...intent, messageId: id }, withPreview).message as { android: unknown }).android).toEqual({
      priority: "high",
      collapse_key: id,
    });
  });

  it("leaves out what the event does not give, rather than sending empty fields", () => {
    const bare: PushIntent = {
      eventId: "e2",
      eventType: "Microsoft.Communication.ChatThreadCreatedWithUser",
      recipientRawId: "8:acs:r",
      threadId: "t",
    };
    const apple = applePayload(bare, withPreview);
    expect(apple.headers).toStrictEqual({ "apns-push-type": "alert", "apns-priority": "10" });
    expect(apple.body.acs).toStrictEqual({ eventType: "Microsoft.Communication.ChatThreadCreatedWithUser", threadId: "t" });
    expect((apple.body.aps as { alert: unknown }).alert).toEqual({
      title: "New conversation",
      body: "Started a conversation with you",
    });
    const message = fcmV1Payload({ ...bare, eventType: "Microsoft.Communication.ChatMessageReceived" }, { includePreview: false })
      .message as Record<string, unknown>;
    expect(message.notification).toEqual({ title: "New message", body: "New message" });
    expect(message.android).toStrictEqual({ priority: "high" });
  });
});
