import { stackRule, StackFinding, StackResourceView } from "./policyDefinition";
import { isSet, read, readArray, readString, UNKNOWN } from "./props";
import {
  ACS_TOPIC_TYPE,
  isClassicEventSubscription,
  isCommunicationService,
  isEventSubscription,
  isSystemTopic,
} from "./resourceTypes";
import { StackGraph } from "./stackGraph";

/** A subscription whose filter selects ACS event types (`Microsoft.Communication.*`). */
function selectsAcsEvents(subscription: StackResourceView): boolean {
  const types = readArray(
    subscription.props,
    isClassicEventSubscription(subscription.type) ? "includedEventTypes" : "filter.includedEventTypes",
  );
  return Array.isArray(types) && types.some((t) => typeof t === "string" && /^Microsoft\.Communication\./i.test(t));
}

/**
 * Event subscriptions that receive the events of an ACS resource: one in this stack (by
 * dependency, topic or scope), or in another stack when the subscription's scope is an ACS
 * resource id or its filter selects ACS event types.
 */
export function acsEventSubscriptions(graph: StackGraph): StackResourceView[] {
  const acsTopics = graph.resources.filter((r) => isSystemTopic(r.type) && readString(r.props, "topicType") === ACS_TOPIC_TYPE);
  const acsTopicNames = new Set(
    acsTopics
      .flatMap((t) => [t.name, readString(t.props, "name"), readString(t.props, "systemTopicName")])
      .filter((n) => typeof n === "string"),
  );
  const topicNames = (t: StackResourceView) => [t.name, readString(t.props, "name"), readString(t.props, "systemTopicName")];
  const otherTopicNames = new Set(
    graph.resources
      .filter((r) => isSystemTopic(r.type) && !acsTopics.includes(r))
      .flatMap(topicNames)
      .filter((n) => typeof n === "string"),
  );
  const acsUrns = new Set([
    ...acsTopics.map((t) => t.urn),
    ...graph.resources.filter((r) => isCommunicationService(r.type)).map((r) => r.urn),
  ]);
  return graph.resources.filter((r) => {
    if (!isEventSubscription(r.type)) return false;
    if (r.dependencies.some((d) => acsUrns.has(d))) return true;
    const topicName = readString(r.props, isClassicEventSubscription(r.type) ? "systemTopic" : "systemTopicName");
    if (typeof topicName === "string" && acsTopicNames.has(topicName)) return true;
    const scope = readString(r.props, "scope");
    if (typeof scope === "string" && /\/providers\/Microsoft\.Communication\/communicationServices\//i.test(scope)) return true;
    // The topic may live in another stack (a platform team's shared ACS): what the subscription
    // selects still says whose events it receives. A topic of this stack says it better.
    if (typeof topicName === "string" && otherTopicNames.has(topicName)) return false;
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
    remediationSteps:
      "Set retryPolicy (maxDeliveryAttempts, eventTimeToLiveInMinutes) and deadLetterDestination (a StorageBlob container) on the subscription.",
  },
  (resources) => {
    const findings: StackFinding[] = [];
    for (const sub of acsEventSubscriptions(new StackGraph(resources))) {
      const classic = isClassicEventSubscription(sub.type);
      const deadLetter = classic
        ? [read(sub.props, "storageBlobDeadLetterDestination")]
        : [read(sub.props, "deadLetterDestination"), read(sub.props, "deadLetterWithResourceIdentity")];
      const retry = read(sub.props, "retryPolicy");
      const missing: string[] = [];
      if (!deadLetter.includes(UNKNOWN) && !deadLetter.some(isSet))
        missing.push(classic ? "storageBlobDeadLetterDestination" : "deadLetterDestination");
      if (retry !== UNKNOWN && !isSet(retry)) missing.push("retryPolicy");
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
    remediationSteps:
      "Set destination.maxEventsPerBatch (classic: azureFunctionEndpoint.maxEventsPerBatch) to 1, or leave it unset.",
  },
  (resources) => {
    const findings: StackFinding[] = [];
    for (const sub of acsEventSubscriptions(new StackGraph(resources))) {
      const classic = isClassicEventSubscription(sub.type);
      const endpoint = classic ? "azureFunctionEndpoint" : "destination";
      if (!classic && readString(sub.props, "destination.endpointType") !== "AzureFunction") continue;
      if (classic && !isSet(read(sub.props, "azureFunctionEndpoint"))) continue;
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
