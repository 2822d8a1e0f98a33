/**
 * ACS events as Event Grid delivers them, checked before use. A malformed event is a permanent
 * failure: retrying it cannot help.
 */
export const CHAT_MESSAGE_RECEIVED = "Microsoft.Communication.ChatMessageReceived";
export const CHAT_THREAD_CREATED_WITH_USER = "Microsoft.Communication.ChatThreadCreatedWithUser";
export const CHAT_PARTICIPANT_ADDED_WITH_USER = "Microsoft.Communication.ChatParticipantAddedToThreadWithUser";

/** Event types addressed to one recipient, which the sender can turn into a push. */
export const SUPPORTED_EVENT_TYPES = [
  CHAT_MESSAGE_RECEIVED,
  CHAT_THREAD_CREATED_WITH_USER,
  CHAT_PARTICIPANT_ADDED_WITH_USER,
] as const;
export type SupportedEventType = (typeof SUPPORTED_EVENT_TYPES)[number];

export interface IncomingEvent {
  readonly id: string;
  readonly eventType: string;
  readonly data?: unknown;
}

/** What a push needs from an event; `messageBody` is personal data and only used for previews. */
export interface PushIntent {
  readonly eventId: string;
  readonly eventType: SupportedEventType;
  readonly recipientRawId: string;
  readonly threadId: string;
  readonly messageId?: string;
  readonly senderDisplayName?: string;
  readonly messageBody?: string;
}

export class MalformedEventError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

export function isSupported(eventType: string): eventType is SupportedEventType {
  return (SUPPORTED_EVENT_TYPES as readonly string[]).includes(eventType);
}

/** Reads the fields a push needs; throws MalformedEventError naming the missing field (never a value). */
export function toPushIntent(event: IncomingEvent & { eventType: SupportedEventType }): PushIntent {
  const data = (typeof event.data === "object" && event.data !== null ? event.data : {}) as Record<string, unknown>;
  const recipient = data.recipientCommunicationIdentifier as { rawId?: unknown } | undefined;
  const recipientRawId = str(recipient?.rawId);
  const threadId = str(data.threadId);
  if (!recipientRawId)
    throw new MalformedEventError(`event ${event.id} (${event.eventType}) has no data.recipientCommunicationIdentifier.rawId`);
  if (!threadId) throw new MalformedEventError(`event ${event.id} (${event.eventType}) has no data.threadId`);
  const sender = (data.senderCommunicationIdentifier ??
    data.createdByCommunicationIdentifier ??
    data.addedByCommunicationIdentifier) as { rawId?: unknown } | undefined;
  // A user's own message reaches the sender's other devices too; that is no reason to ring them.
  if (event.eventType === CHAT_MESSAGE_RECEIVED && sender && str(sender.rawId) === recipientRawId) {
    throw new MalformedEventError(`event ${event.id} is addressed to its own sender`);
  }
  return {
    eventId: event.id,
    eventType: event.eventType,
    recipientRawId,
    threadId,
    messageId: str(data.messageId),
    senderDisplayName: str(data.senderDisplayName) ?? str((data.createdBy as { displayName?: unknown })?.displayName),
    messageBody: str(data.messageBody),
  };
}
