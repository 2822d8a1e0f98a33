import { SUPPORTED_EVENT_TYPES } from "../function/src/events";

/**
 * The ACS event types Event Grid publishes (Azure's event schema for Microsoft.Communication),
 * for validating what a subscription asks for. A webhook may take any of them; the push sender
 * only those it can address to one recipient, which its own code declares.
 */

/** Chat messages: the events the ACS SDK's native chat push would duplicate. */
export const CHAT_MESSAGE_EVENTS: readonly string[] = [
  "Microsoft.Communication.ChatMessageReceived",
  "Microsoft.Communication.ChatMessageReceivedInThread",
];

/** What the push sender turns into pushes (function/src/events.ts says so). */
export const FUNCTION_EVENT_TYPES: readonly string[] = SUPPORTED_EVENT_TYPES;

/** ACS event types a subscription may ask for. */
export const ACS_EVENT_TYPES: readonly string[] = [
  ...FUNCTION_EVENT_TYPES,
  "Microsoft.Communication.ChatMessageReceivedInThread",
  "Microsoft.Communication.ChatMessageEdited",
  "Microsoft.Communication.ChatMessageEditedInThread",
  "Microsoft.Communication.ChatMessageDeleted",
  "Microsoft.Communication.ChatMessageDeletedInThread",
  "Microsoft.Communication.ChatThreadCreated",
  "Microsoft.Communication.ChatThreadWithUserDeleted",
  "Microsoft.Communication.ChatThreadDeleted",
  "Microsoft.Communication.ChatThreadPropertiesUpdatedPerUser",
  "Microsoft.Communication.ChatThreadPropertiesUpdated",
  "Microsoft.Communication.ChatParticipantRemovedFromThreadWithUser",
  "Microsoft.Communication.ChatThreadParticipantAdded",
  "Microsoft.Communication.ChatThreadParticipantRemoved",
  "Microsoft.Communication.IncomingCall",
  "Microsoft.Communication.CallStarted",
  "Microsoft.Communication.CallEnded",
];
