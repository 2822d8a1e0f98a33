/** Parsing of the ARM resource ids the hub link joins, and of a hub's authorization rules. Pure functions, no I/O. */

export interface CommunicationServiceRef {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly name: string;
}

export interface NotificationHubRef {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly namespaceName: string;
  readonly hubName: string;
}

/**
 * A resource group name as ARM takes it: 1-90 letters, digits, `_ - . ( )`, not ending in a dot
 * (Azure also takes Unicode letters; this project's names are ASCII).
 */
export const RESOURCE_GROUP_NAME = /^[-\w.()]{0,89}[-\w()]$/;

const ACS_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Communication\/communicationServices\/([^/]+)$/i;
const HUB_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.NotificationHubs\/namespaces\/([^/]+)\/notificationHubs\/([^/]+)$/i;

export function parseCommunicationServiceId(id: string): CommunicationServiceRef | undefined {
  const m = ACS_ID.exec(id);
  return m ? { subscriptionId: m[1], resourceGroupName: m[2], name: m[3] } : undefined;
}

export function parseNotificationHubId(id: string): NotificationHubRef | undefined {
  const m = HUB_ID.exec(id);
  return m ? { subscriptionId: m[1], resourceGroupName: m[2], namespaceName: m[3], hubName: m[4] } : undefined;
}

export interface HubAuthorizationRuleRef extends NotificationHubRef {
  /** The ARM id of the rule's hub. */
  readonly hubId: string;
  readonly ruleName: string;
}

/** A notification hub's authorization rule (`…/notificationHubs/HUB/authorizationRules/RULE`); undefined when the id is not one. */
export function parseHubAuthorizationRuleId(id: string): HubAuthorizationRuleRef | undefined {
  const m = /^(.+)\/authorizationRules\/([^/]+)$/i.exec(id);
  const hub = m ? parseNotificationHubId(m[1]) : undefined;
  return m && hub ? { ...hub, hubId: m[1], ruleName: m[2] } : undefined;
}

/** ARM ids are case-insensitive; compare them the way ARM does. */
export function sameResourceId(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}
