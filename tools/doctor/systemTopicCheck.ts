import { sameResourceId } from "../../azure/armResourceId";
import type { DoctorClients } from "./azureClients";
import type { DoctorTarget } from "./checks";
import { CheckResult, verdict } from "./catalogue";

export const EVENT_GRID_API_VERSION = "2025-02-15";

interface SystemTopic {
  id?: string;
  name?: string;
  properties?: { source?: string; topicType?: string };
}

/**
 * Azure allows one Event Grid system topic per source. A topic someone else created on the ACS
 * resource makes the stack's own topic fail to create, and a stack pointed at the wrong topic
 * receives no events: both are found by listing the subscription's system topics.
 */
export async function checkSystemTopic(
  clients: DoctorClients,
  target: DoctorTarget,
  subscriptionId: string,
  add: (r: CheckResult) => void,
): Promise<void> {
  let topics: SystemTopic[] = [];
  try {
    let next: string | undefined =
      `/subscriptions/${subscriptionId}/providers/Microsoft.EventGrid/systemTopics?api-version=${EVENT_GRID_API_VERSION}`;
    // A bounded walk of the pages: a subscription with more topics than this is not the common case.
    for (let page = 0; next && page < 20; page++) {
      const res = await clients.arm.send({ method: "GET", path: next });
      if (res.status !== 200) throw Object.assign(new Error(`HTTP ${res.status}`), { statusCode: res.status });
      const body = JSON.parse(res.bodyAsText ?? "{}") as { value?: SystemTopic[]; nextLink?: string };
      topics.push(...(body.value ?? []));
      next = body.nextLink;
    }
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    add(
      verdict(
        "event-grid-topic",
        "skip",
        `the subscription's Event Grid system topics could not be listed${status ? ` (HTTP ${status})` : ""}`,
        status === 401 || status === 403 ? "the identity needs Reader on the subscription" : undefined,
      ),
    );
    return;
  }
  topics = topics.filter((t) => t.properties?.source && sameResourceId(t.properties.source, target.acsId));
  const expected = target.eventGridSystemTopicId;
  const names = topics.map((t) => t.id ?? t.name ?? "?").join(", ");
  if (topics.length === 0) {
    add(
      expected
        ? verdict(
            "event-grid-topic",
            "fail",
            `no system topic has the ACS resource as its source (the stack expects ${expected})`,
            "run `pulumi up` to create it again; until then ACS events go nowhere",
          )
        : verdict("event-grid-topic", "pass", "no system topic on the ACS resource (events are not used)"),
    );
    return;
  }
  const ours = expected ? topics.find((t) => t.id && sameResourceId(t.id, expected)) : undefined;
  if (expected && !ours) {
    add(
      verdict(
        "event-grid-topic",
        "fail",
        `the ACS resource's system topic is ${names}, not the stack's ${expected}`,
        "Azure allows one system topic per ACS resource: set acs-notifications:existingEventGridSystemTopic to { name, resourceGroupName } of that topic, then `pulumi up`",
      ),
    );
    return;
  }
  add(
    verdict(
      "event-grid-topic",
      "pass",
      expected ? expected : `${names} (a stack can use it with acs-notifications:existingEventGridSystemTopic)`,
    ),
  );
}
