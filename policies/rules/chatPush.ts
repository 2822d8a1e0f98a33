import { stackRule, StackFinding, RuleConfig } from "../framework/policyDefinition";
import { readArray, readString, UNKNOWN } from "../framework/props";
import { isClassicEventSubscription } from "../framework/resourceTypes";
import { acsEventSubscriptions } from "./eventGrid";
import { StackGraph } from "../framework/stackGraph";

// A copy of components/resourceTypes.ts (the pack is published alone); a test holds them equal.
export const PUSH_DELIVERY_TYPE = "acs-notifications:delivery:PushDelivery";
// A copy of azure/acsEventTypes.ts (the pack is published alone); a test holds them equal.
export const CHAT_EVENTS = ["Microsoft.Communication.ChatMessageReceived", "Microsoft.Communication.ChatMessageReceivedInThread"];

interface ChatPushConfig extends RuleConfig {
  readonly chatPushPath?: "function" | "native" | "unspecified";
}

/** The path this project's PushDelivery component declares (`chatPush`), when the stack has one. */
function declaredPath(graph: StackGraph): "function" | "native" | undefined {
  for (const r of graph.resources) {
    if (r.type !== PUSH_DELIVERY_TYPE) continue;
    const declared = readString(r.props, "chatPush");
    if (declared === "function" || declared === "native") return declared;
  }
  return undefined;
}

/**
 * With a hub linked, current ACS mobile SDKs can push chat messages themselves
 * (startPushNotifications). If an Event Grid subscription also turns the same messages into pushes,
 * every message arrives twice. The stack cannot see what the apps do, so the team declares it.
 */
export const noDuplicateChatPush = stackRule<ChatPushConfig>(
  {
    name: "no-duplicate-chat-push",
    description: "Chat-message pushes must be sent by one path only: the Event Grid function or the ACS SDK's native push.",
    severity: "medium",
    enforcementLevel: "advisory",
    docs: {
      why: "with a hub linked, current ACS mobile SDKs can push chat messages themselves; if an Event Grid subscription also turns `ChatMessageReceived` into pushes, every message arrives twice.",
      checks:
        "when a link exists and an ACS event subscription delivers chat events (or all events), `chatPushPath` must say which path the apps use; with `native`, chat events on the subscription are a violation.",
      config:
        "`chatPushPath`: `function` | `native` | `unspecified` (default: use the `chatPush` this project's `PushDelivery` component declares from the stack's config, so a stack built here needs no extra setting).",
      fix: "choose one path per event type.",
    },
    remediationSteps:
      "Choose one path: with native chat push, drop ChatMessageReceived from the subscription's includedEventTypes; with the function, keep apps from calling startPushNotifications for chat. Declare the path with the stack's chatPush setting or this rule's chatPushPath.",
    config: {
      chatPushPath: {
        type: "string",
        enum: ["function", "native", "unspecified"],
        default: "unspecified",
        description: "Which path the apps use for chat pushes; unspecified: the chatPush the stack's PushDelivery declares.",
      },
    },
  },
  (graph, config) => {
    // The pack config decides when it names a path; otherwise the stack's declaration (or nothing).
    const path =
      config.chatPushPath === "function" || config.chatPushPath === "native" ? config.chatPushPath : declaredPath(graph);
    if (path === "function" || graph.links().length === 0) return [];
    const findings: StackFinding[] = [];
    for (const sub of acsEventSubscriptions(graph)) {
      const types = readArray(
        sub.props,
        isClassicEventSubscription(sub.type) ? "includedEventTypes" : "filter.includedEventTypes",
      );
      if (types === UNKNOWN) continue;
      // No filter (or an empty one) means every event type, chat included.
      // Stryker disable next-line ArrayDeclaration: equivalent — no placeholder element is a chat event type.
      const chat = types === undefined ? [] : types.filter((t) => CHAT_EVENTS.includes(t as string));
      if (types !== undefined && types.length > 0 && chat.length === 0) continue;
      const what = chat.length > 0 ? chat.join(", ") : "all ACS events (no includedEventTypes filter)";
      findings.push({
        urn: sub.urn,
        message:
          path === "native"
            ? `Event subscription '${sub.name}' delivers ${what} while chat pushes are native (chatPushPath: native): users get every message twice. Remove the chat events from includedEventTypes.`
            : `Event subscription '${sub.name}' delivers ${what} and ACS is linked to a hub, so apps may also push chat natively: users would get every message twice. Declare chatPushPath (function or native) in the policy config.`,
      });
    }
    return findings;
  },
);
