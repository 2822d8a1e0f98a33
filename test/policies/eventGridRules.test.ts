import { eventGridAcsSubscriptionResilient, eventGridFunctionOneEventPerBatch } from "../../policies/rules/eventGrid";
import { ACS_ID, compliantStack } from "./fixtures";
import { FakeResource, runStackRule, UNKNOWN_OBJECT, UNKNOWN_STRING, urnOf } from "./harness";

const NATIVE_SUBSCRIPTION = "azure-native:eventgrid:SystemTopicEventSubscription";
const CLASSIC_SUBSCRIPTION = "azure:eventgrid/systemTopicEventSubscription:SystemTopicEventSubscription";
const STORAGE_EVENTS = ["Microsoft.Storage.BlobCreated"];
const CHAT_EVENTS = ["Microsoft.Communication.ChatMessageReceived"];

const acs: FakeResource = {
  type: "azure-native:communication:CommunicationService",
  name: "acs",
  props: { dataLocation: "Europe" },
};
const acsTopic = (props: Record<string, unknown> = {}, name = "acs-events"): FakeResource => ({
  type: "azure-native:eventgrid:SystemTopic",
  name,
  props: { topicType: "Microsoft.Communication.CommunicationServices", source: ACS_ID, ...props },
});
const storageTopic: FakeResource = {
  type: "azure-native:eventgrid:SystemTopic",
  name: "blob-events",
  props: { name: "blob-events-topic", topicType: "Microsoft.Storage.StorageAccounts" },
};

/** A subscription with neither retry nor dead-letter: flagged exactly when it is found to carry ACS events. */
const fragile = (props: Record<string, unknown>, dependencies: string[] = [], type = NATIVE_SUBSCRIPTION): FakeResource => ({
  type,
  name: "subscription",
  props,
  dependencies,
});
const resilienceFindings = (resources: FakeResource[]) => runStackRule(eventGridAcsSubscriptionResilient, resources);
const NATIVE_MESSAGE =
  "Event subscription 'subscription' on ACS events has no deadLetterDestination and no retryPolicy: events that cannot be delivered are dropped without a trace. Set deadLetterDestination and retryPolicy.";

describe("which Event Grid subscriptions carry ACS events", () => {
  it("one that depends on the ACS resource, whatever its filter", () => {
    const sub = fragile({ filter: { includedEventTypes: STORAGE_EVENTS } }, [urnOf(acs)]);
    expect(resilienceFindings([acs, sub])).toEqual([{ urn: urnOf(sub), message: NATIVE_MESSAGE }]);
  });

  it("one that depends on an ACS system topic", () => {
    const topic = acsTopic();
    const sub = fragile({ filter: { includedEventTypes: STORAGE_EVENTS } }, [urnOf(topic)]);
    expect(resilienceFindings([topic, sub])).toHaveLength(1);
  });

  it.each([
    ["its logical name", {}, "acs-events"],
    ["its name property", { name: "acs-topic-a" }, "acs-topic-a"],
    ["its systemTopicName property", { systemTopicName: "acs-topic-b" }, "acs-topic-b"],
  ])("one that names an ACS topic of this stack by %s", (_how, topicProps, topicName) => {
    const sub = fragile({ systemTopicName: topicName, filter: { includedEventTypes: STORAGE_EVENTS } });
    expect(resilienceFindings([acsTopic(topicProps), sub])).toHaveLength(1);
    // …and not when that name is another topic's.
    expect(
      resilienceFindings([
        acsTopic(topicProps),
        fragile({ systemTopicName: "unrelated", filter: { includedEventTypes: STORAGE_EVENTS } }),
      ]),
    ).toEqual([]);
  });

  it("a classic subscription names its topic in systemTopic", () => {
    const sub = fragile({ systemTopic: "acs-events", includedEventTypes: STORAGE_EVENTS }, [], CLASSIC_SUBSCRIPTION);
    expect(resilienceFindings([acsTopic(), sub])).toEqual([
      {
        urn: urnOf(sub),
        message:
          "Event subscription 'subscription' on ACS events has no storageBlobDeadLetterDestination and no retryPolicy: events that cannot be delivered are dropped without a trace. Set storageBlobDeadLetterDestination and retryPolicy.",
      },
    ]);
  });

  it("one whose scope is an ACS resource id, even in another stack", () => {
    expect(resilienceFindings([fragile({ scope: ACS_ID, filter: { includedEventTypes: STORAGE_EVENTS } })])).toHaveLength(1);
    const storageScope = ACS_ID.replace("Microsoft.Communication/communicationServices", "Microsoft.Storage/storageAccounts");
    expect(resilienceFindings([fragile({ scope: storageScope, filter: { includedEventTypes: STORAGE_EVENTS } })])).toEqual([]);
  });

  it("one that selects Microsoft.Communication.* events when its topic is not in this stack", () => {
    expect(
      resilienceFindings([fragile({ systemTopicName: "shared-acs", filter: { includedEventTypes: CHAT_EVENTS } })]),
    ).toHaveLength(1);
    // Any one ACS type among others is enough.
    const mixed = [...STORAGE_EVENTS, ...CHAT_EVENTS];
    expect(resilienceFindings([fragile({ systemTopicName: "shared", filter: { includedEventTypes: mixed } })])).toHaveLength(1);
    expect(resilienceFindings([fragile({ systemTopicName: "shared", filter: { includedEventTypes: STORAGE_EVENTS } })])).toEqual(
      [],
    );
    // The namespace must start the type: a custom type that merely contains it is not ACS's.
    const lookalike = ["Contoso.Microsoft.Communication.ChatMessageReceived"];
    expect(resilienceFindings([fragile({ systemTopicName: "shared", filter: { includedEventTypes: lookalike } })])).toEqual([]);
  });

  it("a subscription on a non-ACS topic of this stack is not ACS's, whatever it selects", () => {
    const sub = fragile({ systemTopicName: "blob-events-topic", filter: { includedEventTypes: CHAT_EVENTS } });
    expect(resilienceFindings([storageTopic, sub])).toEqual([]);
    // …whichever of the topic's names it uses.
    const named = { ...storageTopic, props: { ...storageTopic.props, systemTopicName: "blob-events-azure-name" } };
    const byAzureName = fragile({ systemTopicName: "blob-events-azure-name", filter: { includedEventTypes: CHAT_EVENTS } });
    expect(resilienceFindings([named, byAzureName])).toEqual([]);
  });

  it("a subscription without a topic name is not matched to a topic without one", () => {
    // The ACS topic here has only its logical name; the subscription names none and selects storage events.
    expect(resilienceFindings([acsTopic(), fragile({ filter: { includedEventTypes: STORAGE_EVENTS } })])).toEqual([]);
  });

  it("a scope not known yet (preview) is read without failing", () => {
    expect(resilienceFindings([fragile({ scope: UNKNOWN_STRING, filter: { includedEventTypes: STORAGE_EVENTS } })])).toEqual([]);
    expect(resilienceFindings([fragile({ scope: UNKNOWN_STRING, filter: { includedEventTypes: CHAT_EVENTS } })])).toHaveLength(1);
  });
});

describe("eventgrid-acs-subscription-resilient", () => {
  const withSubscription = (change: (props: Record<string, unknown>) => void) => {
    const stack = compliantStack();
    change(stack.subscription.props);
    return Object.values(stack);
  };

  it("names only what is missing", () => {
    expect(resilienceFindings(withSubscription((p) => delete p.retryPolicy))).toEqual([
      {
        urn: urnOf(compliantStack().subscription),
        message:
          "Event subscription 'chat-to-function' on ACS events has no retryPolicy: events that cannot be delivered are dropped without a trace. Set retryPolicy.",
      },
    ]);
    expect(resilienceFindings(withSubscription((p) => delete p.deadLetterDestination))[0].message).toMatch(
      /has no deadLetterDestination: .* Set deadLetterDestination\.$/,
    );
  });

  it("accepts dead-lettering with a resource identity instead of a plain destination", () => {
    const stack = withSubscription((p) => {
      p.deadLetterWithResourceIdentity = { deadLetterDestination: p.deadLetterDestination, identity: { type: "SystemAssigned" } };
      delete p.deadLetterDestination;
    });
    expect(resilienceFindings(stack)).toEqual([]);
  });

  it("does not guess while a value is not known yet (preview)", () => {
    expect(resilienceFindings(withSubscription((p) => (p.retryPolicy = UNKNOWN_OBJECT)))).toEqual([]);
    expect(resilienceFindings(withSubscription((p) => (p.deadLetterDestination = UNKNOWN_OBJECT)))).toEqual([]);
  });

  it("accepts a classic subscription with storageBlobDeadLetterDestination and a retry policy", () => {
    const sub = fragile(
      {
        systemTopic: "acs-events",
        includedEventTypes: CHAT_EVENTS,
        retryPolicy: { maxDeliveryAttempts: 10, eventTimeToLive: 1440 },
        storageBlobDeadLetterDestination: { storageAccountId: "st", storageBlobContainerName: "dead-letter" },
      },
      [],
      CLASSIC_SUBSCRIPTION,
    );
    expect(resilienceFindings([acsTopic(), sub])).toEqual([]);
  });
});

describe("eventgrid-function-one-event-per-batch", () => {
  const batchFindings = (resources: FakeResource[]) => runStackRule(eventGridFunctionOneEventPerBatch, resources);
  const nativeTo = (destination: Record<string, unknown>) => [
    acsTopic(),
    fragile({ systemTopicName: "acs-events", destination }),
  ];

  it("flags more than one event per batch to a Function, naming the setting", () => {
    expect(batchFindings(nativeTo({ endpointType: "AzureFunction", maxEventsPerBatch: 2 }))).toEqual([
      {
        urn: urnOf(fragile({})),
        message:
          "Event subscription 'subscription' delivers up to 2 ACS events per batch to a Function: when one fails, Event Grid re-sends them all and users get the others' pushes again. Set destination.maxEventsPerBatch to 1.",
      },
    ]);
  });

  it("accepts one per batch, an unset or unknown batch size, and other endpoint types", () => {
    expect(batchFindings(nativeTo({ endpointType: "AzureFunction", maxEventsPerBatch: 1 }))).toEqual([]);
    expect(batchFindings(nativeTo({ endpointType: "AzureFunction" }))).toEqual([]);
    expect(batchFindings(nativeTo({ endpointType: "AzureFunction", maxEventsPerBatch: UNKNOWN_OBJECT }))).toEqual([]);
    expect(batchFindings(nativeTo({ endpointType: "WebHook", maxEventsPerBatch: 10 }))).toEqual([]);
  });

  it("reads a classic subscription's azureFunctionEndpoint, and ignores its other endpoints", () => {
    const classic = (props: Record<string, unknown>) => [
      acsTopic(),
      fragile({ systemTopic: "acs-events", includedEventTypes: CHAT_EVENTS, ...props }, [], CLASSIC_SUBSCRIPTION),
    ];
    expect(batchFindings(classic({ azureFunctionEndpoint: { functionId: "f", maxEventsPerBatch: 10 } }))).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/up to 10 ACS events .* Set azureFunctionEndpoint\.maxEventsPerBatch to 1\.$/),
      }),
    ]);
    expect(batchFindings(classic({ azureFunctionEndpoint: { functionId: "f", maxEventsPerBatch: 1 } }))).toEqual([]);
    expect(batchFindings(classic({ webhookEndpoint: { url: "https://example.com", maxEventsPerBatch: 10 } }))).toEqual([]);
  });
});
