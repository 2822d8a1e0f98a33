import {
  CHAT_MESSAGE_RECEIVED,
  CHAT_PARTICIPANT_ADDED_WITH_USER,
  CHAT_THREAD_CREATED_WITH_USER,
  eventTypeOf,
  isSkip,
  MalformedEventError,
  PushIntent,
  recipientKind,
  toPushIntent,
} from "../../function/src/events";
import { publishedEvent } from "../support/azureFixtures";

// The decisions the sender makes per event, one by one: whom to push, what to skip and why, and what a
// malformed event is told.
describe("recipientKind", () => {
  it.each([
    [{ communicationUser: { id: "8:acs:x" } }, "communicationUser"],
    [{ microsoftTeamsUser: { userId: "u" } }, "microsoftTeamsUser"],
    [{ phoneNumber: { value: "+1" } }, "phoneNumber"],
    [{ microsoftTeamsApp: { appId: "a" } }, "microsoftTeamsApp"],
    [{ rawId: "8:acs:1" }, "communicationUser"],
    [{ rawId: "8:spool:1" }, "communicationUser"],
    [{ rawId: "8:dod-acs:1" }, "communicationUser"],
    [{ rawId: "8:gcch-acs:1" }, "communicationUser"],
    [{ rawId: "8:orgid:1" }, "microsoftTeamsUser"],
    [{ rawId: "8:teamsvisitor:1" }, "microsoftTeamsUser"],
    [{ rawId: "4:+15551234567" }, "phoneNumber"],
    [{ rawId: "28:app" }, "microsoftTeamsApp"],
    [{ rawId: "x8:acs:1" }, "unknown"],
    [{ rawId: "8:acsx:1" }, "unknown"],
    [{ rawId: "" }, "unknown"],
    [{ communicationUser: "8:acs:1" }, "unknown"],
  ])("%j is %s", (identifier, kind) => {
    expect(recipientKind(identifier)).toBe(kind);
  });
});

describe("eventTypeOf", () => {
  it("reads Event Grid's eventType first, then CloudEvents' type, and nothing from empty fields", () => {
    expect(eventTypeOf({ id: "1", eventType: "A", type: "B" })).toEqual({ eventType: "A", schema: "EventGrid" });
    expect(eventTypeOf({ id: "1", eventType: "", type: "B" })).toEqual({ eventType: "B", schema: "CloudEvents" });
    expect(eventTypeOf({ id: "1", type: "" })).toBeUndefined();
  });
});

describe("toPushIntent on Azure's published events", () => {
  const intent = (value: ReturnType<typeof toPushIntent>): PushIntent => {
    if (isSkip(value)) throw new Error(`skipped: ${value.skip}`);
    return value;
  };

  it("a message: recipient, thread, message id, sender name and body", () => {
    const event = publishedEvent("chatMessageReceived");
    const d = event.data as Record<string, { rawId?: string } & Record<string, unknown>>;
    expect(intent(toPushIntent(event, CHAT_MESSAGE_RECEIVED))).toEqual({
      eventId: event.id,
      eventType: CHAT_MESSAGE_RECEIVED,
      recipientRawId: d.recipientCommunicationIdentifier.rawId,
      threadId: event.data.threadId,
      messageId: event.data.messageId,
      actorDisplayName: event.data.senderDisplayName,
      messageBody: event.data.messageBody,
    });
  });

  it("skips the copy ACS addresses to the message's own sender", () => {
    const event = publishedEvent("chatMessageReceived");
    event.data.senderCommunicationIdentifier = structuredClone(event.data.recipientCommunicationIdentifier);
    expect(toPushIntent(event, CHAT_MESSAGE_RECEIVED)).toEqual({ skip: "addressed to its own sender" });
  });

  it("a new thread: skips its creator, names the creator to the others from the participant list", () => {
    const event = publishedEvent("chatThreadCreatedWithUser");
    const creator = (event.data.createdByCommunicationIdentifier as { rawId: string }).rawId;
    const expected = (
      event.data.participants as { displayName?: string; participantCommunicationIdentifier: { rawId: string } }[]
    ).find((p) => p.participantCommunicationIdentifier.rawId === creator)?.displayName;
    const value = toPushIntent(event, CHAT_THREAD_CREATED_WITH_USER);
    if ((event.data.recipientCommunicationIdentifier as { rawId: string }).rawId === creator)
      expect(value).toEqual({ skip: "addressed to the thread's creator" });
    else expect(intent(value).actorDisplayName).toBe(expected);
    event.data.recipientCommunicationIdentifier = structuredClone(event.data.createdByCommunicationIdentifier);
    expect(toPushIntent(event, CHAT_THREAD_CREATED_WITH_USER)).toEqual({ skip: "addressed to the thread's creator" });
  });

  it("a participant added: only the newcomer is told, and not when they added themselves", () => {
    const event = publishedEvent("chatParticipantAddedToThreadWithUser");
    const added = (event.data.participantAdded as { participantCommunicationIdentifier: unknown })
      .participantCommunicationIdentifier;
    event.data.recipientCommunicationIdentifier = structuredClone(added);
    event.data.addedByCommunicationIdentifier = { rawId: "8:acs:someone-else", communicationUser: { id: "8:acs:someone-else" } };
    expect(intent(toPushIntent(event, CHAT_PARTICIPANT_ADDED_WITH_USER))).toMatchObject({
      recipientRawId: (added as { rawId: string }).rawId,
    });
    event.data.addedByCommunicationIdentifier = structuredClone(added);
    expect(toPushIntent(event, CHAT_PARTICIPANT_ADDED_WITH_USER)).toEqual({ skip: "the participant added themselves" });
    event.data.recipientCommunicationIdentifier = {
      rawId: "8:acs:another-member",
      communicationUser: { id: "8:acs:another-member" },
    };
    expect(toPushIntent(event, CHAT_PARTICIPANT_ADDED_WITH_USER)).toEqual({
      skip: "addressed to a member other than the participant added",
    });
  });

  it("skips recipients that have no app installation, saying why", () => {
    const event = publishedEvent("chatMessageReceived");
    event.data.recipientCommunicationIdentifier = { rawId: "4:+15551234567", phoneNumber: { value: "+15551234567" } };
    expect(toPushIntent(event, CHAT_MESSAGE_RECEIVED)).toEqual({
      skip: "the recipient is a phone number; it has no app installation to push to",
    });
  });

  it.each([
    ["data", (e: ReturnType<typeof publishedEvent>) => delete (e as { data?: unknown }).data],
    [
      "data.recipientCommunicationIdentifier.rawId",
      (e: ReturnType<typeof publishedEvent>) => delete e.data.recipientCommunicationIdentifier,
    ],
    ["data.threadId", (e: ReturnType<typeof publishedEvent>) => (e.data.threadId = "")],
  ])("names the missing field %s, never a value", (field, breakIt) => {
    const event = publishedEvent("chatMessageReceived");
    breakIt(event);
    expect(() => toPushIntent(event, CHAT_MESSAGE_RECEIVED)).toThrow(MalformedEventError);
    expect(() => toPushIntent(event, CHAT_MESSAGE_RECEIVED)).toThrow(
      `event ${event.id} (${CHAT_MESSAGE_RECEIVED}) has no ${field}`,
    );
  });

  it("names the missing participant of a participant-added event", () => {
    const event = publishedEvent("chatParticipantAddedToThreadWithUser");
    delete event.data.participantAdded;
    expect(() => toPushIntent(event, CHAT_PARTICIPANT_ADDED_WITH_USER)).toThrow(/has no data\.participantAdded$/);
  });
});
