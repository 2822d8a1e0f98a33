import { stackRule, StackFinding, StackResourceView } from "../framework/policyDefinition";
import { isSet, read, readArray, readString } from "../framework/props";
import {
  ACS_TOPIC_TYPE,
  isClassicEventSubscription,
  isCommunicationService,
  isEventSubscription,
  isSystemTopic,
} from "../framework/resourceTypes";
import { StackGraph } from "../framework/stackGraph";

const ACS_EVENT_TYPE = /^Microsoft\.Communication\./i;
const ACS_RESOURCE_SCOPE = /\/providers\/Microsoft\.Communication\/communicationServices\//i;

/** A subscription whose filter selects ACS event types (`Microsoft.Communication.*`). */
function selectsAcsEvents(subscription: StackResourceView): boolean {
  const types = readArray(
    subscription.props,
    isClassicEventSubscription(subscription.type) ? "includedEventTypes" : "filter.includedEventTypes",
  );
  // Elements are whatever the program set: only a string can name an event type (and String() of
  // an object without a prototype throws).
  return Array.isArray(types) && types.some((t) => typeof t === "string" && ACS_EVENT_TYPE.test(t));
}

/** The names a subscription may use for a topic: its logical name and its Azure name, when known. */
function topicNames(topic: StackResourceView): string[] {
  return [topic.name, readString(topic.props, "name"), readString(topic.props, "systemTopicName")].filter(
    (n): n is string => typeof n === "string",
  );
}

/**
 * Event subscriptions that receive the events of an ACS resource: one in this stack (by
 * dependency, topic or scope), or in another stack when the subscription's scope is an ACS
 * resource id or its filter selects ACS event types.
 */
export function acsEventSubscriptions(graph: StackGraph): StackResourceView[] {
  const acsTopics = graph.resources.filter((r) => isSystemTopic(r.type) && readString(r.props, "topicType") === ACS_TOPIC_TYPE);
  const acsTopicNames = new Set(acsTopics.flatMap(topicNames));
  const otherTopicNames = new Set(
    graph.resources.filter((r) => isSystemTopic(r.type) && !acsTopics.includes(r)).flatMap(topicNames),
  );
  const acsUrns = new Set([
    ...acsTopics.map((t) => t.urn),
    ...graph.resources.filter((r) => isCommunicationService(r.type)).map((r) => r.urn),
  ]);
  return graph.resources.filter((r) => {
    if (!isEventSubscription(r.type)) return false;
    if (r.dependencies.some((d) => acsUrns.has(d))) return true;
    const topicName = readString(r.props, isClassicEventSubscription(r.type) ? "systemTopic" : "systemTopicName");
    // (Names are strings; an unset or unknown topic name matches none.)
    if (acsTopicNames.has(topicName as string)) return true;
    const scope = readString(r.props, "scope");
    // An unknown scope is a symbol, which a regular expression cannot read.
    if (typeof scope === "string" && ACS_RESOURCE_SCOPE.test(scope)) return true;
    // The topic may live in another stack (a platform team's shared ACS): what the subscription
    // selects still says whose events it receives. A topic of this stack says it better.
    if (otherTopicNames.has(topicName as string)) return false;
    return selectsAcsEvents(r);
  });
}

/** Pushes lost in a failed delivery are lost for good unless Event Grid retries and keeps what it gives up on. */
export const eventGridAcsSubscriptionResilient = stackRule(
  {
    name: "eventgrid-acs-subscription-resilient",
    description: "Event Grid subscriptions on ACS events must set a retry policy and a dead-letter destination.",
    severity: "medium",
    enforcementLevel: "mandatory",
    docs: {
      why: "an event Event Grid cannot deliver is a push lost without a trace.",
      checks:
        "event subscriptions on an ACS system topic (or scoped to an ACS resource) set a `retryPolicy` and a dead-letter destination (`deadLetterDestination` or `deadLetterWithResourceIdentity`; classic `storageBlobDeadLetterDestination`).",
      fix: "set both; dead-letter to a blob container.",
    },
    remediationSteps:
      "Set retryPolicy (maxDeliveryAttempts, eventTimeToLiveInMinutes) and deadLetterDestination (a StorageBlob container) on the subscription.",
  },
  (graph) => {
    const findings: StackFinding[] = [];
    for (const sub of acsEventSubscriptions(graph)) {
      const classic = isClassicEventSubscription(sub.type);
      const deadLetter = classic
        ? [read(sub.props, "storageBlobDeadLetterDestination")]
        : [read(sub.props, "deadLetterDestination"), read(sub.props, "deadLetterWithResourceIdentity")];
      const retry = read(sub.props, "retryPolicy");
      const missing: string[] = [];
      // isSet counts a value not known yet (preview) as set: nothing is reported on a guess.
      if (!deadLetter.some(isSet)) missing.push(classic ? "storageBlobDeadLetterDestination" : "deadLetterDestination");
      if (!isSet(retry)) missing.push("retryPolicy");
      if (missing.length > 0) {
        findings.push({
          urn: sub.urn,
          message: `Event subscription '${sub.name}' on ACS events has no ${missing.join(" and no ")}: events that cannot be delivered are dropped without a trace. Set ${missing.join(" and ")}.`,
        });
      }
    }
    return findings;
  },
);

/**
 * The Functions Event Grid extension fails a whole batch when one event fails, and Event Grid
 * re-sends every event in it: the ones already pushed are pushed again, often on an instance that
 * never saw them. One event per delivery keeps a retry to the event that failed.
 */
export const eventGridFunctionOneEventPerBatch = stackRule(
  {
    name: "eventgrid-function-one-event-per-batch",
    description: "Event Grid subscriptions that deliver ACS events to an Azure Function must deliver one event per batch.",
    severity: "medium",
    enforcementLevel: "advisory",
    docs: {
      why: "the Functions Event Grid extension fails a whole batch when one event fails, and Event Grid re-sends every event in it: the ones already pushed are pushed again, often on an instance whose de-duplication never saw them.",
      checks:
        "event subscriptions on ACS events whose destination is an Azure Function (classic: `azureFunctionEndpoint`) have `maxEventsPerBatch` unset or 1. Webhooks are not checked: they answer per batch.",
      fix: "set `maxEventsPerBatch` to 1 (the `PushDelivery` component does).",
    },
    remediationSteps:
      "Set destination.maxEventsPerBatch (classic: azureFunctionEndpoint.maxEventsPerBatch) to 1, or leave it unset.",
  },
  (graph) => {
    const findings: StackFinding[] = [];
    for (const sub of acsEventSubscriptions(graph)) {
      const classic = isClassicEventSubscription(sub.type);
      const endpoint = classic ? "azureFunctionEndpoint" : "destination";
      // Classic: only azureFunctionEndpoint can hold a Function, and without it there is no batch size to read.
      if (!classic && readString(sub.props, "destination.endpointType") !== "AzureFunction") continue;
      const batch = read(sub.props, `${endpoint}.maxEventsPerBatch`);
      if (typeof batch === "number" && batch > 1) {
        findings.push({
          urn: sub.urn,
          message: `Event subscription '${sub.name}' delivers up to ${batch} ACS events per batch to a Function: when one fails, Event Grid re-sends them all and users get the others' pushes again. Set ${endpoint}.maxEventsPerBatch to 1.`,
        });
      }
    }
    return findings;
  },
);
