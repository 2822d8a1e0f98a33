import { parseCommunicationServiceId, parseNotificationHubId } from "../../azure/armResourceId";
import { connectionStringFingerprint } from "../../azure/hubConnectionString";
import type { ApnsEnvironment } from "../../azure/apns";
import { APP_INSIGHTS_METRICS, HUB_FAILURE_CATEGORIES, HUB_METRICS, SYSTEM_TOPIC_METRICS } from "../../azure/pushMetrics";
import type { DoctorClients } from "./azureClients";
import { explainAzureError, isNotFound, readFailureStatus } from "./azureErrors";
import { CheckId, CheckResult, verdict } from "./catalogue";
import { judgeEventDelivery, judgeInvocations } from "./deliveryJudgments";
import {
  judgeCredentials,
  judgeHubTraffic,
  judgeLink,
  judgeLinkCurrent,
  judgeSameSubscription,
  PnsCredentials,
  sendRuleAmong,
  singleRightVerdict,
} from "./hubJudgments";
import { sumMetrics } from "./metricTotals";
import { checkPushSender } from "./pushSenderChecks";
import { checkSystemTopic } from "./systemTopicCheck";

/**
 * The ACS push troubleshooting guide as checks against a deployed environment. This file gathers:
 * it reads Azure and hands what it found to the judging functions (hubJudgments.ts,
 * deliveryJudgments.ts), which say pass / warn / fail with the evidence and the fix. Nothing
 * secret is printed: keys are read only to compare fingerprints.
 */
export interface DoctorTarget {
  readonly acsId: string;
  readonly hubId: string;
  /** The hub's dedicated Send rule. Default: the only rule with Send, if there is one. */
  readonly sendRuleName?: string;
  /** The Listen-only rule device registration uses (output hubRegistrationRuleName). */
  readonly registrationRuleName?: string;
  /** `linkedConnectionStringFingerprint` from the stack outputs. */
  readonly linkedFingerprint?: string;
  /**
   * The hub ACS must be linked to, when it is not the hub checked (another app's partition, which
   * the push sender reaches and ACS does not). Default: the hub checked.
   */
  readonly linkedHubId?: string;
  /** Which app and partition the hub serves, named in the results. */
  readonly appPartition?: { readonly app: string; readonly partition: number };
  /** Which APNs gateway the hub should use. Default: not checked. */
  readonly apnsEnvironment?: ApnsEnvironment;
  readonly eventGridSystemTopicId?: string;
  readonly eventSubscriptionName?: string;
  readonly applicationInsightsId?: string;
  /** The push-sender Function App's ARM id (output pushFunctionAppId). */
  readonly functionAppId?: string;
  /** URL of the dead-letter blob container (output deadLetterContainerUrl). */
  readonly deadLetterContainerUrl?: string;
  /** Metrics window. */
  readonly sinceHours: number;
}

type Hub = NonNullable<ReturnType<typeof parseNotificationHubId>>;
type Add = (r: CheckResult) => void;

/** The checks that read the hub, shown as SKIP when the hub cannot be read. */
export const HUB_DEPENDENT_CHECKS: readonly CheckId[] = ["hub-credentials", "send-rule", "link-current", "hub-metrics"];

export async function runDoctor(target: DoctorTarget, clients: DoctorClients, now = new Date()): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add: Add = (r) => results.push(r);
  const acs = parseCommunicationServiceId(target.acsId);
  const hub = parseNotificationHubId(target.hubId);
  if (!acs || !hub) {
    add(
      verdict(
        "inputs",
        "fail",
        `${!acs ? "the ACS id" : "the hub id"} is not a valid ARM id`,
        "pass the ids from `pulumi stack output` (acsId, hubId)",
      ),
    );
    return results;
  }
  add(judgeSameSubscription(acs.subscriptionId, hub.subscriptionId));

  // What ACS is linked to, when it could be read: the link-current check means nothing without a link to this hub.
  let linkedToThisHub: boolean | undefined;
  try {
    const service = await clients.communication.communicationServices.get(acs.resourceGroupName, acs.name);
    add(judgeLink(acs.name, service.notificationHubId ?? "", target.linkedHubId ?? target.hubId, hub.hubName));
    linkedToThisHub = (service.notificationHubId ?? "").toLowerCase() === target.hubId.toLowerCase();
  } catch (error) {
    add(
      verdict(
        "acs-linked",
        "fail",
        explainAzureError(error, `the ACS resource ${acs.name}`),
        isNotFound(error) ? "the ACS resource is gone: `pulumi refresh` then `pulumi up`" : undefined,
      ),
    );
  }

  // One system topic per source: a topic made elsewhere blocks the stack's own, or the stack watches the wrong one.
  await checkSystemTopic(clients, target, acs.subscriptionId, add);

  const hubExists = await checkHubExists(clients, hub, add);
  if (hubExists) {
    await checkCredentials(clients, target, hub, add);
    await checkSendRule(clients, target, hub, add, linkedToThisHub);
    if (target.registrationRuleName) await checkRegistrationRule(clients, target.registrationRuleName, hub, add);
    await checkHubMetrics(clients, target, now, add);
  } else {
    // Shown, not dropped: a reader should see what could not be checked and why.
    const dependent: CheckId[] = [
      ...HUB_DEPENDENT_CHECKS,
      ...(target.registrationRuleName ? (["registration-rule"] as const) : []),
    ];
    for (const id of dependent) add(verdict(id, "skip", "not checked: the hub could not be read (see hub-exists)"));
  }

  await checkEventDelivery(clients, target, now, add);
  await checkPushSender(clients, target, now, add);
  return results;
}

async function checkHubExists(clients: DoctorClients, hub: Hub, add: Add): Promise<boolean> {
  try {
    await clients.notificationHubs.notificationHubs.get(hub.resourceGroupName, hub.namespaceName, hub.hubName);
    add(verdict("hub-exists", "pass", `${hub.namespaceName}/${hub.hubName} found`));
    return true;
  } catch (error) {
    add(
      verdict(
        "hub-exists",
        "fail",
        explainAzureError(error, `the hub ${hub.namespaceName}/${hub.hubName}`),
        isNotFound(error) ? "the hub was deleted: `pulumi refresh` then `pulumi up` recreates and re-links it" : undefined,
      ),
    );
    return false;
  }
}

async function checkCredentials(clients: DoctorClients, target: DoctorTarget, hub: Hub, add: Add): Promise<void> {
  let pns: PnsCredentials | undefined;
  try {
    await clients.notificationHubs.notificationHubs.getPnsCredentials(hub.resourceGroupName, hub.namespaceName, hub.hubName, {
      // The SDK's model predates FCM v1; read the raw answer so no platform is dropped.
      onResponse: (raw) => {
        const body = raw.bodyAsText ? (JSON.parse(raw.bodyAsText) as { properties?: PnsCredentials }) : {};
        pns = body.properties ?? {};
      },
    });
  } catch (error) {
    add(verdict("hub-credentials", "fail", explainAzureError(error, "the hub's PNS credentials")));
  }
  if (pns) judgeCredentials(pns, target.apnsEnvironment).forEach(add);
}

/** Device registration's rule: Listen and nothing else (Send or Manage there would let a leaked registration key do more). */
async function checkRegistrationRule(clients: DoctorClients, ruleName: string, hub: Hub, add: Add): Promise<void> {
  try {
    const rule = await clients.notificationHubs.notificationHubs.getAuthorizationRule(
      hub.resourceGroupName,
      hub.namespaceName,
      hub.hubName,
      ruleName,
    );
    add(
      singleRightVerdict("registration-rule", ruleName, rule.rights ?? [], "Listen", {
        missing: 'devices cannot be registered: `pulumi up` restores rights ["Listen"]',
        extra: "keep the registration rule Listen-only",
      }),
    );
  } catch (error) {
    add(
      verdict(
        "registration-rule",
        "fail",
        explainAzureError(error, `the rule ${ruleName}`),
        isNotFound(error) ? "`pulumi up` recreates the registration rule" : undefined,
      ),
    );
  }
}

/** Cases 5 and 7: the Send rule grants Send only, and the link still holds its current key. */
async function checkSendRule(
  clients: DoctorClients,
  target: DoctorTarget,
  hub: Hub,
  add: Add,
  linkedToThisHub: boolean | undefined,
): Promise<void> {
  let ruleName = target.sendRuleName;
  try {
    if (!ruleName) {
      const rules: { name?: string; rights?: string[] }[] = [];
      for await (const rule of clients.notificationHubs.notificationHubs.listAuthorizationRules(
        hub.resourceGroupName,
        hub.namespaceName,
        hub.hubName,
      ))
        rules.push(rule);
      ruleName = sendRuleAmong(rules);
      if (!ruleName) {
        add(
          verdict(
            "send-rule",
            "fail",
            "the hub has no rule granting Send without Manage",
            "`pulumi up` creates the dedicated Send-only rule",
          ),
        );
        return;
      }
    }
    const rule = await clients.notificationHubs.notificationHubs.getAuthorizationRule(
      hub.resourceGroupName,
      hub.namespaceName,
      hub.hubName,
      ruleName,
    );
    add(
      singleRightVerdict("send-rule", ruleName, rule.rights ?? [], "Send", {
        missing: 'the linked rule must grant Send: `pulumi up` restores rights ["Send"]',
        extra: "keep the linked rule Send-only",
      }),
    );
  } catch (error) {
    add(
      verdict(
        "send-rule",
        "fail",
        explainAzureError(error, `the rule ${ruleName ?? "(Send rule)"}`),
        isNotFound(error) ? "`pulumi up` recreates the Send rule and re-links ACS" : undefined,
      ),
    );
    return;
  }
  if (linkedToThisHub === false) {
    add(
      verdict(
        "link-current",
        "skip",
        "ACS is not linked to this hub (see acs-linked): there is no linked connection string to compare",
      ),
    );
    return;
  }
  if (!target.linkedFingerprint) {
    add(verdict("link-current", "skip", "no linkedConnectionStringFingerprint given (pass --outputs or --stack)"));
    return;
  }
  try {
    const keys = await clients.notificationHubs.notificationHubs.listKeys(
      hub.resourceGroupName,
      hub.namespaceName,
      hub.hubName,
      ruleName,
    );
    const current = keys.primaryConnectionString ? connectionStringFingerprint(keys.primaryConnectionString) : "";
    add(judgeLinkCurrent(target.linkedFingerprint, current));
  } catch (error) {
    add(verdict("link-current", "fail", explainAzureError(error, `the keys of rule ${ruleName}`)));
  }
}

async function checkHubMetrics(clients: DoctorClients, target: DoctorTarget, now: Date, add: Add): Promise<void> {
  const failureMetrics = Object.values(HUB_FAILURE_CATEGORIES).flat();
  try {
    const totals = await sumMetrics(
      clients,
      target.hubId,
      [HUB_METRICS.incoming, HUB_METRICS.delivered, ...failureMetrics],
      target.sinceHours,
      now,
    );
    add(judgeHubTraffic(totals, target.sinceHours));
  } catch (error) {
    add(verdict("hub-metrics", readFailureStatus(error), explainAzureError(error, "the hub's metrics")));
  }
}

/** Case 8: the Event Grid path, when deployed, and the push sender's invocations. */
async function checkEventDelivery(clients: DoctorClients, target: DoctorTarget, now: Date, add: Add): Promise<void> {
  if (target.eventGridSystemTopicId) {
    const filter = target.eventSubscriptionName
      ? `EventSubscriptionName eq '${target.eventSubscriptionName.toUpperCase()}'`
      : undefined;
    try {
      const totals = await sumMetrics(
        clients,
        target.eventGridSystemTopicId,
        Object.values(SYSTEM_TOPIC_METRICS),
        target.sinceHours,
        now,
        filter,
      );
      add(judgeEventDelivery(totals, target.sinceHours));
    } catch (error) {
      add(verdict("event-delivery", readFailureStatus(error), explainAzureError(error, "the Event Grid metrics")));
    }
  }
  if (target.applicationInsightsId) {
    try {
      const totals = await sumMetrics(
        clients,
        target.applicationInsightsId,
        [APP_INSIGHTS_METRICS.requests, APP_INSIGHTS_METRICS.failedRequests],
        target.sinceHours,
        now,
      );
      add(judgeInvocations(totals, target.sinceHours));
    } catch (error) {
      add(verdict("function-failures", readFailureStatus(error), explainAzureError(error, "Application Insights metrics")));
    }
  }
}
