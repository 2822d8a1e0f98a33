/**
 * ACS chat events as Event Grid delivers them, checked before use. The shapes follow Azure's
 * published examples (azure-rest-api-specs, eventgrid/data-plane/Microsoft.Communication):
 * the `…WithUser` and `MessageReceived` events are sent once per member of the thread, each
 * naming that member in `recipientCommunicationIdentifier`.
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

/** An event in either delivery schema: Event Grid's (`eventType`) or CloudEvents 1.0 (`type`). */
export interface IncomingEvent {
  readonly id: string;
  readonly eventType?: string;
  readonly type?: string;
  /** When ACS raised the event: `eventTime` in the Event Grid schema, `time` in CloudEvents 1.0. */
  readonly eventTime?: string;
  readonly time?: string;
  readonly data?: unknown;
}

export type EventSchema = "EventGrid" | "CloudEvents";

/** What a push needs from an event; `messageBody` is personal data and only used for previews. */
export interface PushIntent {
  readonly eventId: string;
  readonly eventType: SupportedEventType;
  readonly recipientRawId: string;
  readonly threadId: string;
  readonly messageId?: string;
  /** Who caused the event, by display name, when ACS gives one. */
  readonly actorDisplayName?: string;
  readonly messageBody?: string;
}

/** Why an event is not pushed, though nothing is wrong with it. */
export interface Skip {
  readonly skip: string;
}

/** The kind of a communication identifier, as ACS's identifier model names them. */
export type RecipientKind = "communicationUser" | "microsoftTeamsUser" | "phoneNumber" | "microsoftTeamsApp" | "unknown";

export class MalformedEventError extends Error {}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

export function isSupported(eventType: string): eventType is SupportedEventType {
  return (SUPPORTED_EVENT_TYPES as readonly string[]).includes(eventType);
}

/**
 * The event's type and the schema it came in. A subscription switched to CloudEvents delivers
 * `type` instead of `eventType` with the same `data`, so both are read rather than one rejected.
 */
export function eventTypeOf(event: IncomingEvent): { eventType: string; schema: EventSchema } | undefined {
  const eventGrid = str(event.eventType);
  if (eventGrid) return { eventType: eventGrid, schema: "EventGrid" };
  const cloudEvent = str(event.type);
  if (cloudEvent) return { eventType: cloudEvent, schema: "CloudEvents" };
  return undefined;
}

/**
 * Which kind of identifier this is. The identifier model carries one property per kind; the raw
 * id's prefix is the fallback (`8:acs:` and its sovereign-cloud forms for ACS users, `8:orgid:`
 * and friends for Teams users, `4:` for phone numbers, `28:` for Teams apps).
 */
export function recipientKind(identifier: Record<string, unknown>): RecipientKind {
  if (record(identifier.communicationUser)) return "communicationUser";
  if (record(identifier.microsoftTeamsUser)) return "microsoftTeamsUser";
  if (record(identifier.phoneNumber)) return "phoneNumber";
  if (record(identifier.microsoftTeamsApp)) return "microsoftTeamsApp";
  const rawId = str(identifier.rawId) ?? "";
  if (/^8:(acs|spool|dod-acs|gcch-acs):/.test(rawId)) return "communicationUser";
  if (/^8:(orgid|dod|gcch|teamsvisitor):/.test(rawId)) return "microsoftTeamsUser";
  if (rawId.startsWith("4:")) return "phoneNumber";
  if (rawId.startsWith("28:")) return "microsoftTeamsApp";
  return "unknown";
}

// Only ACS users sign in to the app and can have an installation under their tag; the others
// are reached through their own channel (Teams notifies Teams users itself).
const NOT_PUSHED: Record<Exclude<RecipientKind, "communicationUser">, string> = {
  microsoftTeamsUser: "the recipient is a Teams user; Teams notifies its own users",
  phoneNumber: "the recipient is a phone number; it has no app installation to push to",
  microsoftTeamsApp: "the recipient is a Teams app; it has no app installation to push to",
  unknown: "the recipient's identifier is of a kind this function does not know; it has no app installation to push to",
};

function rawIdOf(v: unknown): string | undefined {
  return str(record(v)?.rawId);
}

function fail(event: IncomingEvent, eventType: string, what: string): never {
  throw new MalformedEventError(`event ${event.id} (${eventType}) has no ${what}`);
}

/**
 * Reads the fields a push needs. Returns a Skip for events that are fine but are not pushed;
 * throws MalformedEventError naming the missing field (never a value).
 */
export function toPushIntent(event: IncomingEvent, eventType: SupportedEventType): PushIntent | Skip {
  const data = record(event.data) ?? fail(event, eventType, "data");
  const recipient = record(data.recipientCommunicationIdentifier);
  const recipientRawId = rawIdOf(recipient) ?? fail(event, eventType, "data.recipientCommunicationIdentifier.rawId");
  const threadId = str(data.threadId) ?? fail(event, eventType, "data.threadId");
  const kind = recipientKind(recipient!);
  if (kind !== "communicationUser") return { skip: NOT_PUSHED[kind] };

  const base = { eventId: event.id, eventType, recipientRawId, threadId };
  switch (eventType) {
    case CHAT_MESSAGE_RECEIVED: {
      // ACS sends the sender a copy addressed to themselves: nothing to ring about.
      if (rawIdOf(data.senderCommunicationIdentifier) === recipientRawId) return { skip: "addressed to its own sender" };
      return {
        ...base,
        messageId: str(data.messageId),
        actorDisplayName: str(data.senderDisplayName),
        messageBody: str(data.messageBody),
      };
    }
    case CHAT_THREAD_CREATED_WITH_USER: {
      const creator = rawIdOf(data.createdByCommunicationIdentifier);
      if (creator !== undefined && creator === recipientRawId) return { skip: "addressed to the thread's creator" };
      return { ...base, actorDisplayName: creator ? displayNameIn(data, creator) : undefined };
    }
    case CHAT_PARTICIPANT_ADDED_WITH_USER: {
      // Delivered to every member of the thread; only the one who was added is told.
      const added = record(data.participantAdded) ?? fail(event, eventType, "data.participantAdded");
      const addedRawId =
        rawIdOf(added.participantCommunicationIdentifier) ??
        fail(event, eventType, "data.participantAdded.participantCommunicationIdentifier.rawId");
      if (addedRawId !== recipientRawId) return { skip: "addressed to a member other than the participant added" };
      if (rawIdOf(data.addedByCommunicationIdentifier) === recipientRawId) return { skip: "the participant added themselves" };
      return base;
    }
  }
}

/** The creator's display name: ACS lists it with the participants, not on the creator. */
function displayNameIn(data: Record<string, unknown>, rawId: string): string | undefined {
  const participants = Array.isArray(data.participants) ? data.participants : [];
  for (const p of participants) {
    const participant = record(p);
    if (participant && rawIdOf(participant.participantCommunicationIdentifier) === rawId) return str(participant.displayName);
  }
  return undefined;
}

export function isSkip(value: PushIntent | Skip): value is Skip {
  return "skip" in value;
}
