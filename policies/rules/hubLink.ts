import { resourceRule, stackRule, StackFinding } from "../framework/policyDefinition";
import { isSet, read, readArray, readString, subscriptionOf, UNKNOWN } from "../framework/props";
import { isClassicHub, isClassicHubRule, isHubRule } from "../framework/resourceTypes";
import { StackGraph } from "../framework/stackGraph";
import type { StackResourceView } from "../framework/policyDefinition";

type Rights = { send: boolean; listen: boolean; manage: boolean } | typeof UNKNOWN;

/** The rights of a hub access rule, in either SDK's shape. */
export function rightsOf(rule: { type: string; props: Record<string, unknown> }): Rights {
  if (isClassicHubRule(rule.type)) {
    const flags = ["send", "listen", "manage"].map((f) => read(rule.props, f));
    if (flags.includes(UNKNOWN)) return UNKNOWN;
    return { send: flags[0] === true, listen: flags[1] === true, manage: flags[2] === true };
  }
  const rights = readArray(rule.props, "rights");
  if (rights === UNKNOWN) return UNKNOWN;
  // Stryker disable next-line ArrayDeclaration: equivalent — no placeholder element is a right's name.
  const names = rights === undefined ? [] : rights.filter((r): r is string => typeof r === "string").map((r) => r.toLowerCase());
  return { send: names.includes("send"), listen: names.includes("listen"), manage: names.includes("manage") };
}

/** Troubleshooting case 2: a linked hub with no PNS credentials accepts pushes from ACS and delivers none. */
export const hubHasPlatformCredentials = stackRule(
  {
    name: "hub-has-platform-credentials",
    description: "A notification hub linked to ACS must have APNs or FCM v1 credentials.",
    severity: "high",
    enforcementLevel: "mandatory",
    docs: {
      why: "troubleshooting case 2 — a linked hub without platform credentials accepts ACS's pushes and delivers none.",
      checks: "every hub a `NotificationHubLink` points at (by dependency or by id) has APNs or FCM v1 credentials.",
      fix: "configure at least one platform on that hub.",
    },
    remediationSteps: "Configure apnsCredential (token mode) and/or fcmV1Credential on the hub that ACS is linked to.",
  },
  (graph) => {
    const findings: StackFinding[] = [];
    for (const link of graph.links()) {
      for (const hub of graph.hubsOfLink(link)) {
        const platforms = isClassicHub(hub.type) ? ["apnsCredential"] : ["apnsCredential", "fcmV1Credential"];
        const values = platforms.map((p) => read(hub.props, p));
        if (values.includes(UNKNOWN) || values.some(isSet)) continue;
        findings.push({
          urn: hub.urn,
          message: `Notification hub '${hub.name}' is linked to ACS by '${link.name}' but has no APNs or FCM v1 credentials: ACS pushes would be accepted and never delivered. Configure at least one platform.`,
        });
      }
    }
    return findings;
  },
);

/** Troubleshooting case 5, and least privilege: the linked key can send and nothing else. */
export const linkRuleSendOnly = stackRule(
  {
    name: "link-rule-send-only",
    description: "The access rule whose connection string links ACS to the hub must grant exactly Send.",
    severity: "high",
    enforcementLevel: "mandatory",
    docs: {
      why: "troubleshooting case 5, and least privilege — the key ACS holds should be able to send and nothing else.",
      checks: "the access rule the link uses (`authorizationRuleId`) grants Send, and neither Listen nor Manage.",
      fix: 'link with a dedicated rule whose rights are exactly `["Send"]` (this project\'s `<prefix>-send`).',
    },
    remediationSteps: 'Link ACS with a dedicated rule whose rights are exactly ["Send"].',
  },
  (graph) => {
    const findings: StackFinding[] = [];
    for (const link of graph.links()) {
      for (const rule of graph.rulesOfLink(link)) {
        const rights = rightsOf(rule);
        if (rights === UNKNOWN) continue;
        if (!rights.send) {
          findings.push({
            urn: rule.urn,
            message: `Access rule '${rule.name}' feeds the ACS link '${link.name}' but lacks Send: ACS cannot push through it. Grant exactly Send.`,
          });
        } else if (rights.listen || rights.manage) {
          const extra = [rights.listen && "Listen", rights.manage && "Manage"].filter(Boolean).join(" and ");
          findings.push({
            urn: rule.urn,
            message: `Access rule '${rule.name}' feeds the ACS link '${link.name}' and also grants ${extra}: use a dedicated rule with exactly Send.`,
          });
        }
      }
    }
    return findings;
  },
);

/** Hardening: a Manage key can rewrite the hub's credentials and rules. */
export const hubRuleWithoutManage = resourceRule(
  {
    name: "hub-rule-without-manage",
    description: "Notification hub access rules should not grant Manage; application keys need Send or Listen only.",
    severity: "medium",
    enforcementLevel: "advisory",
    docs: {
      why: "hardening — a Manage key can rewrite the hub's credentials and rules.",
      checks: "no hub access rule grants Manage.",
      fix: "drop Manage; administer the hub through Azure RBAC.",
    },
    remediationSteps: "Drop Manage from the rule's rights; manage the hub through Azure RBAC instead of a shared key.",
  },
  isHubRule,
  (resource) => {
    const rights = rightsOf(resource);
    // Stryker disable next-line ConditionalExpression: equivalent — UNKNOWN has no manage flag, so !rights.manage holds for it too.
    if (rights === UNKNOWN || !rights.manage) return [];
    return [
      `Hub access rule '${resource.name}' grants Manage: anyone holding its key can change the hub's credentials and rules. Remove Manage.`,
    ];
  },
);

/** The link call fails with WrongSubscription otherwise. */
export const linkSameSubscription = stackRule(
  {
    name: "link-same-subscription",
    description: "The linked notification hub must be in the same Azure subscription as the ACS resource.",
    severity: "high",
    enforcementLevel: "mandatory",
    docs: {
      why: "ACS refuses a hub from another subscription (`WrongSubscription`).",
      checks: "the link's ACS id and hub id name the same subscription.",
      fix: "create the hub in the ACS resource's subscription.",
    },
    remediationSteps: "Create the notification hub in the subscription of the Communication Services resource.",
  },
  (graph) => {
    const findings: StackFinding[] = [];
    for (const link of graph.links()) {
      const acsId = readString(link.props, "communicationServiceId");
      const hubId = readString(link.props, "notificationHubId");
      if (acsId === UNKNOWN || hubId === UNKNOWN || !acsId || !hubId) continue;
      const [acsSub, hubSub] = [subscriptionOf(acsId), subscriptionOf(hubId)];
      if (acsSub && hubSub && acsSub !== hubSub) {
        findings.push({
          urn: link.urn,
          message: `Link '${link.name}' joins an ACS resource in subscription ${acsSub} to a hub in subscription ${hubSub}: ACS refuses hubs from another subscription. Move the hub into ${acsSub}.`,
        });
      }
    }
    return findings;
  },
);

function isRuleBacked(graph: StackGraph, link: StackResourceView): boolean {
  return graph.rulesOfLink(link).length > 0;
}

/** Troubleshooting case 7: after a key is regenerated the link must be renewed, which only happens if it follows the rule. */
export const linkTracksConnectionString = stackRule(
  {
    name: "link-tracks-connection-string",
    description: "The link must use the hub's Send rule of this stack, so a regenerated key re-links ACS.",
    severity: "medium",
    enforcementLevel: "mandatory",
    docs: {
      why: "troubleshooting case 7 — after a key is regenerated ACS keeps the old one until re-linked; the link only follows the key if it reads it from the rule.",
      checks:
        "the link's `authorizationRuleId` is a hub access rule in the stack (in state of earlier versions: its `connectionString` came from one).",
      fix: "pass the Send rule's id (`sendRule.id`); the link's provider reads its key when it deploys. Never a literal key.",
    },
    remediationSteps:
      "Pass the Send rule's id to the link (authorizationRuleId: sendRule.id); its provider reads the key when it deploys and re-links when the key changes.",
  },
  (graph) => {
    return graph
      .links()
      .filter((link) => !isRuleBacked(graph, link))
      .map((link) => ({
        urn: link.urn,
        message: `Link '${link.name}' does not use a hub access rule of this stack: when the key is regenerated ACS keeps the old one and pushes stop. Pass the Send rule's id (authorizationRuleId).`,
      }));
  },
);
