import type { PushIntent } from "./events";
import { CHAT_MESSAGE_RECEIVED, CHAT_PARTICIPANT_ADDED_WITH_USER, CHAT_THREAD_CREATED_WITH_USER } from "./events";

export interface PayloadOptions {
  /** Put the message text in the notification (personal data: off unless the stack enables it). */
  readonly includePreview: boolean;
}

// Long enough for a lock-screen preview, well inside APNs' 4 KB and FCM's limits.
const PREVIEW_LIMIT = 180;

function alertText(intent: PushIntent, options: PayloadOptions): { title: string; body: string } {
  switch (intent.eventType) {
    case CHAT_MESSAGE_RECEIVED: {
      const preview = options.includePreview && intent.messageBody ? intent.messageBody : undefined;
      return {
        title: intent.actorDisplayName ?? "New message",
        body: preview ? truncate(preview, PREVIEW_LIMIT) : "New message",
      };
    }
    case CHAT_THREAD_CREATED_WITH_USER:
      return { title: intent.actorDisplayName ?? "New conversation", body: "Started a conversation with you" };
    case CHAT_PARTICIPANT_ADDED_WITH_USER:
      // The event names who was added, not the adder's display name.
      return { title: "New conversation", body: "You were added to a conversation" };
  }
}

function truncate(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join("")}…`;
}

/** Deep-link data the app needs to open the right conversation. Values are strings for FCM. */
function deepLink(intent: PushIntent): Record<string, string> {
  const data: Record<string, string> = { eventType: intent.eventType, threadId: intent.threadId };
  if (intent.messageId) data.messageId = intent.messageId;
  // `senderDisplayName` names whoever caused the push (sender or thread creator).
  if (intent.actorDisplayName) data.senderDisplayName = intent.actorDisplayName;
  return data;
}

export function applePayload(
  intent: PushIntent,
  options: PayloadOptions,
): { body: Record<string, unknown>; headers: Record<string, string> } {
  return {
    body: {
      aps: { alert: alertText(intent, options), sound: "default", "thread-id": intent.threadId, "mutable-content": 1 },
      acs: deepLink(intent),
    },
    headers: {
      "apns-push-type": "alert",
      "apns-priority": "10",
      // The same message delivered twice replaces itself on the device instead of stacking.
      ...(intent.messageId ? { "apns-collapse-id": intent.messageId.slice(0, 64) } : {}),
    },
  };
}

export function fcmV1Payload(intent: PushIntent, options: PayloadOptions): Record<string, unknown> {
  return {
    message: {
      notification: alertText(intent, options),
      data: deepLink(intent),
      android: { priority: "high", ...(intent.messageId ? { collapse_key: intent.messageId } : {}) },
    },
  };
}
