import { parseCommunicationServiceId, parseNotificationHubId, sameResourceId } from "../../azure/armResourceId";
import { connectionStringFingerprint } from "../../azure/hubConnectionString";
import { APNS_CERTIFICATE_FIELDS, APNS_TOKEN_FIELDS, apnsEnvironmentOf, apnsHostOf, ApnsEnvironment } from "../../azure/apns";
import type { DoctorClients } from "./azureClients";
import { checkSystemTopic } from "./systemTopicCheck";
import { checkPushSender } from "./pushSenderChecks";
import { isNetworkFailure } from "../../azure/requestLimits";
import {
  APP_INSIGHTS_METRICS,
  HUB_FAILURE_CATEGORIES,
  HUB_METRICS,
  MetricAggregation,
  MetricRef,
  SYSTEM_TOPIC_METRICS,
} from "../../azure/pushMetrics";

/**
 * The ACS push troubleshooting guide as checks against a deployed environment. Each check reads
 * Azure, says pass / warn / fail with the evidence, and names the fix. Nothing secret is printed:
 * keys are read only to compare fingerprints.
 */
export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly evidence: string;
  readonly fix?: string;
}

export interface DoctorTarget {
  readonly acsId: string;
  readonly hubId: string;
  /** The hub's dedicated Send rule. Default: the only rule with Send, if there is one. */
  readonly sendRuleName?: string;
  /** The Listen-only rule device registration uses (output hubRegistrationRuleName). */
  readonly registrationRuleName?: string;
  /** `linkedConnectionStringFingerprint` from the stack outputs. */
  readonly linkedFingerprint?: string;
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

/** Turns an Azure SDK error into a sentence; never the raw response. */
export function explainAzureError(error: unknown, reading: string): string {
  if (isNetworkFailure(error)) return `could not read ${reading}: ${error.message}`;
  if ((error as { name?: string })?.name === "DeadlineExceeded") return `could not read ${reading}: ${(error as Error).message}`;
  const e = (error ?? {}) as { statusCode?: number; code?: string; name?: string };
  if (e.name === "CredentialUnavailableError" || e.name === "AuthenticationError" || e.name === "AggregateAuthenticationError") {
    return `could not sign in to Azure to read ${reading}: run \`az login\` or set AZURE_CLIENT_ID/AZURE_TENANT_ID with a secret or a federated token`;
  }
  switch (e.statusCode) {
    case 401:
    case 403:
      return `not allowed to read ${reading} (HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ""}): the identity needs Reader on it (and listKeys rights for keys)`;
    case 404:
      return `${reading} does not exist (HTTP 404)`;
    case 429:
      return `Azure throttled the request for ${reading} (HTTP 429); try again in a minute`;
    default:
      return `reading ${reading} failed${e.statusCode ? ` with HTTP ${e.statusCode}` : ""}${e.code ? ` (${e.code})` : ""}`;
  }
}

/** A host that did not answer fails every check that needed it, the same way; other read errors keep their check's level. */
const readFailureStatus = (error: unknown): CheckStatus => (isNetworkFailure(error) ? "fail" : "warn");

const isNotFound = (error: unknown) => (error as { statusCode?: number })?.statusCode === 404;

interface PnsCredentials {
  apnsCredential?: { properties?: Record<string, string | undefined> };
  fcmV1Credential?: { properties?: Record<string, string | undefined> };
  gcmCredential?: { properties?: Record<string, string | undefined> };
  [platform: string]: unknown;
}

/** A hub rule that must grant exactly one right: fail without it, warn with more, pass otherwise. */
function singleRightVerdict(
  check: { id: string; title: string },
  ruleName: string,
  rights: readonly string[],
  right: "Send" | "Listen",
  fixes: { missing: string; extra: string },
): CheckResult {
  const extra = rights.filter((r) => r !== right);
  if (!rights.includes(right))
    return {
      ...check,
      status: "fail",
      evidence: `rule ${ruleName} grants ${rights.join(", ") || "nothing"}, not ${right}`,
      fix: fixes.missing,
    };
  if (extra.length > 0)
    return {
      ...check,
      status: "warn",
      evidence: `rule ${ruleName} grants ${right} and also ${extra.join(", ")}`,
      fix: fixes.extra,
    };
  return { ...check, status: "pass", evidence: `rule ${ruleName}: ${right} only` };
}

/**
 * Sums metrics of one resource over the window. Each metric is asked for with the aggregation
 * Azure supports for it (the catalogue says which) and read from that field: Application
 * Insights' request metrics have only `count`, so asking for `total` reads zero whatever happened.
 */
export async function sumMetrics(
  clients: DoctorClients,
  resourceUri: string,
  metrics: readonly MetricRef[],
  sinceHours: number,
  now: Date,
  filter?: string,
): Promise<Map<string, number>> {
  const start = new Date(now.getTime() - sinceHours * 3_600_000);
  const totals = new Map<string, number>();
  const byAggregation = new Map<MetricAggregation, string[]>();
  for (const m of metrics) byAggregation.set(m.aggregation, [...(byAggregation.get(m.aggregation) ?? []), m.name]);
  for (const [aggregation, names] of byAggregation) {
    // The client's URL template adds the leading slash itself.
    const response = await clients.monitor.metrics.list(resourceUri.replace(/^\//, ""), {
      metricnames: [...new Set(names)].join(","),
      timespan: `${start.toISOString()}/${now.toISOString()}`,
      interval: "PT1H",
      aggregation,
      filter,
    });
    const field = aggregation.toLowerCase() as "total" | "count" | "average" | "maximum" | "minimum";
    for (const metric of response.value) {
      const sum = metric.timeseries.flatMap((t) => t.data ?? []).reduce((acc, point) => acc + (point[field] ?? 0), 0);
      totals.set(metric.name.value, sum);
    }
  }
  return totals;
}

export async function runDoctor(target: DoctorTarget, clients: DoctorClients, now = new Date()): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (r: CheckResult) => results.push(r);
  const acs = parseCommunicationServiceId(target.acsId);
  const hub = parseNotificationHubId(target.hubId);
  if (!acs || !hub) {
    add({
      id: "inputs",
      title: "resource ids",
      status: "fail",
      evidence: `${!acs ? "the ACS id" : "the hub id"} is not a valid ARM id`,
      fix: "pass the ids from `pulumi stack output` (acsId, hubId)",
    });
    return results;
  }

  // 6. Same subscription (no call needed).
  const sameSub = acs.subscriptionId.toLowerCase() === hub.subscriptionId.toLowerCase();
  add({
    id: "same-subscription",
    title: "hub and ACS in one subscription",
    status: sameSub ? "pass" : "fail",
    evidence: sameSub ? `both in ${acs.subscriptionId}` : `ACS in ${acs.subscriptionId}, hub in ${hub.subscriptionId}`,
    fix: sameSub ? undefined : "ACS only links hubs of its own subscription: create the hub there",
  });

  // 1. The link.
  let linkedHubId = "";
  try {
    const service = await clients.communication.communicationServices.get(acs.resourceGroupName, acs.name);
    linkedHubId = service.notificationHubId ?? "";
    if (!linkedHubId) {
      add({
        id: "acs-linked",
        title: "ACS linked to a hub",
        status: "fail",
        evidence: `${acs.name} has no linked notification hub`,
        fix: "run `pulumi up` (the NotificationHubLink resource links it); after `pulumi refresh` the link shows as drift",
      });
    } else if (!sameResourceId(linkedHubId, target.hubId)) {
      add({
        id: "acs-linked",
        title: "ACS linked to a hub",
        status: "fail",
        evidence: `${acs.name} is linked to ${linkedHubId}, not to ${target.hubId}`,
        fix: "run `pulumi up` to link the expected hub again (someone changed the link outside Pulumi)",
      });
    } else {
      add({ id: "acs-linked", title: "ACS linked to a hub", status: "pass", evidence: `${acs.name} → ${hub.hubName}` });
    }
  } catch (error) {
    add({
      id: "acs-linked",
      title: "ACS linked to a hub",
      status: "fail",
      evidence: explainAzureError(error, `the ACS resource ${acs.name}`),
      fix: isNotFound(error) ? "the ACS resource is gone: `pulumi refresh` then `pulumi up`" : undefined,
    });
  }

  // One system topic per source: a topic made elsewhere blocks the stack's own, or the stack watches the wrong one.
  await checkSystemTopic(clients, target, acs.subscriptionId, add);

  // 2. The hub exists.
  let hubExists = false;
  try {
    await clients.notificationHubs.notificationHubs.get(hub.resourceGroupName, hub.namespaceName, hub.hubName);
    hubExists = true;
    add({ id: "hub-exists", title: "linked hub exists", status: "pass", evidence: `${hub.namespaceName}/${hub.hubName} found` });
  } catch (error) {
    add({
      id: "hub-exists",
      title: "linked hub exists",
      status: "fail",
      evidence: explainAzureError(error, `the hub ${hub.namespaceName}/${hub.hubName}`),
      fix: isNotFound(error) ? "the hub was deleted: `pulumi refresh` then `pulumi up` recreates and re-links it" : undefined,
    });
  }

  // 3. Platform credentials.
  if (hubExists) {
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
      add({
        id: "hub-credentials",
        title: "hub has platform credentials",
        status: "fail",
        evidence: explainAzureError(error, "the hub's PNS credentials"),
      });
    }
    if (pns) checkCredentials(pns, target, add);
  }

  if (hubExists) {
    // 4 and 5. The Send rule, and whether the link still holds its current key.
    await checkSendRule(clients, target, hub, add);
    if (target.registrationRuleName) await checkRegistrationRule(clients, target.registrationRuleName, hub, add);
    // 7. Metrics: the guide's first place to look.
    await checkHubMetrics(clients, target, now, add);
  } else {
    // Shown, not dropped: a reader should see what could not be checked and why.
    const dependent = [
      ...HUB_DEPENDENT_CHECKS,
      ...(target.registrationRuleName ? [["registration-rule", "registration rule is Listen-only"] as const] : []),
    ];
    for (const [id, title] of dependent)
      add({ id, title, status: "skip", evidence: "not checked: the hub could not be read (see hub-exists)" });
  }

  // 8. The Event Grid path, when deployed, and the push sender's own health.
  await checkEventDelivery(clients, target, now, add);
  await checkPushSender(clients, target, now, add);
  return results;
}

/** Device registration's rule: Listen and nothing else (Send or Manage there would let a leaked registration key do more). */
async function checkRegistrationRule(
  clients: DoctorClients,
  ruleName: string,
  hub: { resourceGroupName: string; namespaceName: string; hubName: string },
  add: (r: CheckResult) => void,
): Promise<void> {
  const id = "registration-rule";
  const title = "registration rule is Listen-only";
  try {
    const rule = await clients.notificationHubs.notificationHubs.getAuthorizationRule(
      hub.resourceGroupName,
      hub.namespaceName,
      hub.hubName,
      ruleName,
    );
    add(
      singleRightVerdict({ id, title }, ruleName, rule.rights ?? [], "Listen", {
        missing: 'devices cannot be registered: `pulumi up` restores rights ["Listen"]',
        extra: "keep the registration rule Listen-only",
      }),
    );
  } catch (error) {
    add({
      id,
      title,
      status: "fail",
      evidence: explainAzureError(error, `the rule ${ruleName}`),
      fix: isNotFound(error) ? "`pulumi up` recreates the registration rule" : undefined,
    });
  }
}

/** The checks that read the hub, shown as SKIP when the hub cannot be read. */
export const HUB_DEPENDENT_CHECKS: readonly (readonly [string, string])[] = [
  ["hub-credentials", "hub has platform credentials"],
  ["send-rule", "Send rule exists with Send"],
  ["link-current", "linked connection string is current"],
  ["hub-metrics", "hub traffic"],
];

function checkCredentials(pns: PnsCredentials, target: DoctorTarget, add: (r: CheckResult) => void): void {
  const apns = pns.apnsCredential?.properties;
  const fcm = pns.fcmV1Credential?.properties;
  const configured = Object.keys(pns).filter((k) => k.endsWith("Credential") && pns[k]);
  add(
    apns || fcm
      ? {
          id: "hub-credentials",
          title: "hub has platform credentials",
          status: "pass",
          evidence: `configured: ${configured.join(", ")}`,
        }
      : {
          id: "hub-credentials",
          title: "hub has platform credentials",
          status: "fail",
          evidence: "no APNs or FCM v1 credentials: ACS pushes are accepted and never delivered",
          fix: "configure apns/apnsToken and/or fcm/fcmPrivateKey in the stack and run `pulumi up`",
        },
  );
  if (apns) {
    const certificate = APNS_CERTIFICATE_FIELDS.filter((f) => apns[f]);
    const token = APNS_TOKEN_FIELDS.map(([field]) => field).filter((f) => !apns[f]);
    add(
      certificate.length > 0
        ? {
            id: "apns-token-mode",
            title: "APNs in token mode",
            status: "fail",
            evidence: `APNs is in certificate mode (${certificate.join(", ")} set), which ACS does not support`,
            fix: "switch to a .p8 key: set apns + apnsToken and run `pulumi up`",
          }
        : token.length > 0
          ? {
              id: "apns-token-mode",
              title: "APNs in token mode",
              status: "fail",
              evidence: `APNs token credential lacks ${token.join(", ")}`,
              fix: "set every apns field and apnsToken, then `pulumi up`",
            }
          : {
              id: "apns-token-mode",
              title: "APNs in token mode",
              status: "pass",
              evidence: `token mode, key ${apns.keyId}, team ${apns.appId}, bundle ${apns.appName}`,
            },
    );
    // ACS sends chat alerts and calling VoIP pushes through the linked hub with the app's plain
    // bundle id; a hub set up for a back end's own VoIP pushes (".voip") breaks the alerts.
    if (typeof apns.appName === "string" && apns.appName.toLowerCase().endsWith(".voip")) {
      add({
        id: "apns-bundle-id",
        title: "APNs bundle id is the app's",
        status: "warn",
        evidence: `the linked hub's APNs bundle id is ${apns.appName}`,
        fix: "ACS pushes through the linked hub with the app's own bundle id: set apns.bundleId without .voip (a back end's own VoIP pushes need a separate hub)",
      });
    }
    if (target.apnsEnvironment && apns.endpoint) {
      const host = apnsHostOf(apns.endpoint);
      const ok = apnsEnvironmentOf(apns.endpoint) === target.apnsEnvironment;
      add({
        id: "apns-endpoint",
        title: "APNs gateway matches the environment",
        status: ok ? "pass" : "fail",
        evidence: `${host} for a ${target.apnsEnvironment} environment`,
        fix: ok
          ? undefined
          : `set apns.environment: ${target.apnsEnvironment} and run \`pulumi up\` (development builds need the sandbox, store builds production)`,
      });
    }
  } else {
    add({
      id: "apns-token-mode",
      title: "APNs in token mode",
      status: "warn",
      evidence: "no APNs credential: iOS devices get no pushes",
      fix: "configure apns + apnsToken if the app ships on iOS",
    });
  }
  if (fcm) {
    add({ id: "fcm-v1", title: "FCM v1 configured", status: "pass", evidence: `project ${fcm.projectId ?? "?"}` });
  } else if (pns.gcmCredential) {
    add({
      id: "fcm-v1",
      title: "FCM v1 configured",
      status: "fail",
      evidence: "only a legacy GCM/FCM server key, which Google no longer accepts",
      fix: "configure fcm + fcmPrivateKey (FCM v1) and run `pulumi up`",
    });
  } else {
    add({
      id: "fcm-v1",
      title: "FCM v1 configured",
      status: "warn",
      evidence: "no FCM v1 credential: Android devices get no pushes",
      fix: "configure fcm + fcmPrivateKey if the app ships on Android",
    });
  }
}

async function checkSendRule(
  clients: DoctorClients,
  target: DoctorTarget,
  hub: NonNullable<ReturnType<typeof parseNotificationHubId>>,
  add: (r: CheckResult) => void,
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
      ruleName = rules.find((r) => (r.rights ?? []).includes("Send") && !(r.rights ?? []).includes("Manage"))?.name;
      if (!ruleName) {
        add({
          id: "send-rule",
          title: "Send rule exists with Send",
          status: "fail",
          evidence: "the hub has no rule granting Send without Manage",
          fix: "`pulumi up` creates the dedicated Send-only rule",
        });
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
      singleRightVerdict({ id: "send-rule", title: "Send rule exists with Send" }, ruleName, rule.rights ?? [], "Send", {
        missing: 'the linked rule must grant Send: `pulumi up` restores rights ["Send"]',
        extra: "keep the linked rule Send-only",
      }),
    );
  } catch (error) {
    add({
      id: "send-rule",
      title: "Send rule exists with Send",
      status: "fail",
      evidence: explainAzureError(error, `the rule ${ruleName ?? "(Send rule)"}`),
      fix: isNotFound(error) ? "`pulumi up` recreates the Send rule and re-links ACS" : undefined,
    });
    return;
  }
  if (!target.linkedFingerprint) {
    add({
      id: "link-current",
      title: "linked connection string is current",
      status: "skip",
      evidence: "no linkedConnectionStringFingerprint given (pass --outputs or --stack)",
    });
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
    add(
      current === target.linkedFingerprint
        ? {
            id: "link-current",
            title: "linked connection string is current",
            status: "pass",
            evidence: `fingerprint ${current} matches the link`,
          }
        : {
            id: "link-current",
            title: "linked connection string is current",
            status: "fail",
            evidence: `the rule's key was regenerated: link has ${target.linkedFingerprint}, the rule now ${current || "no key"}`,
            fix: "run `pulumi up`: the link follows the rule's connection string and re-links",
          },
    );
  } catch (error) {
    add({
      id: "link-current",
      title: "linked connection string is current",
      status: "fail",
      evidence: explainAzureError(error, `the keys of rule ${ruleName}`),
    });
  }
}

async function checkHubMetrics(
  clients: DoctorClients,
  target: DoctorTarget,
  now: Date,
  add: (r: CheckResult) => void,
): Promise<void> {
  const failureMetrics = Object.values(HUB_FAILURE_CATEGORIES).flat();
  try {
    const totals = await sumMetrics(
      clients,
      target.hubId,
      [HUB_METRICS.incoming, HUB_METRICS.delivered, ...failureMetrics],
      target.sinceHours,
      now,
    );
    const incoming = totals.get(HUB_METRICS.incoming.name) ?? 0;
    const delivered = totals.get(HUB_METRICS.delivered.name) ?? 0;
    const failures = Object.entries(HUB_FAILURE_CATEGORIES)
      .map(([label, metrics]) => [label, metrics.reduce((s, m) => s + (totals.get(m.name) ?? 0), 0)] as const)
      .filter(([, count]) => count > 0);
    const breakdown = failures.map(([label, count]) => `${label} ${count}`).join(", ");
    const evidence = `last ${target.sinceHours}h: ${incoming} incoming, ${delivered} delivered${breakdown ? `; failed: ${breakdown}` : ""}`;
    if (incoming === 0) {
      add({
        id: "hub-metrics",
        title: "hub traffic",
        status: "warn",
        evidence,
        fix: "nothing reached the hub: check the link (above), the push sender's logs and that apps registered installations",
      });
    } else if (delivered === 0) {
      add({
        id: "hub-metrics",
        title: "hub traffic",
        status: "fail",
        evidence,
        fix: failures.some(([l]) => l === "authentication errors")
          ? "the platforms reject the hub's credentials: renew the .p8 key / service account and `pulumi up`"
          : "pushes reach the hub and none is delivered: see the failure categories",
      });
    } else {
      add({
        id: "hub-metrics",
        title: "hub traffic",
        status: failures.length > 0 ? "warn" : "pass",
        evidence,
        fix: failures.length > 0 ? "expired channels are normal churn; authentication or payload errors are not" : undefined,
      });
    }
  } catch (error) {
    add({
      id: "hub-metrics",
      title: "hub traffic",
      status: readFailureStatus(error),
      evidence: explainAzureError(error, "the hub's metrics"),
    });
  }
}

async function checkEventDelivery(
  clients: DoctorClients,
  target: DoctorTarget,
  now: Date,
  add: (r: CheckResult) => void,
): Promise<void> {
  if (target.eventGridSystemTopicId) {
    const filter = target.eventSubscriptionName
      ? `EventSubscriptionName eq '${target.eventSubscriptionName.toUpperCase()}'`
      : undefined;
    try {
      const t = await sumMetrics(
        clients,
        target.eventGridSystemTopicId,
        Object.values(SYSTEM_TOPIC_METRICS),
        target.sinceHours,
        now,
        filter,
      );
      const [ok, failed, dead, dropped] = [
        SYSTEM_TOPIC_METRICS.delivered,
        SYSTEM_TOPIC_METRICS.failedAttempts,
        SYSTEM_TOPIC_METRICS.deadLettered,
        SYSTEM_TOPIC_METRICS.dropped,
      ].map((m) => t.get(m.name) ?? 0);
      const evidence = `last ${target.sinceHours}h: ${ok} delivered, ${failed} failed attempts, ${dead} dead-lettered, ${dropped} dropped`;
      add(
        dead + dropped > 0
          ? {
              id: "event-delivery",
              title: "Event Grid delivery to the push sender",
              status: "fail",
              evidence,
              fix: "read the dead-letter container (deadLetterStorageAccount) and the function's logs",
            }
          : failed > 0
            ? {
                id: "event-delivery",
                title: "Event Grid delivery to the push sender",
                status: "warn",
                evidence,
                fix: "Event Grid is retrying: the function failed or was throttled",
              }
            : { id: "event-delivery", title: "Event Grid delivery to the push sender", status: "pass", evidence },
      );
    } catch (error) {
      add({
        id: "event-delivery",
        title: "Event Grid delivery to the push sender",
        status: readFailureStatus(error),
        evidence: explainAzureError(error, "the Event Grid metrics"),
      });
    }
  }
  if (target.applicationInsightsId) {
    try {
      const t = await sumMetrics(
        clients,
        target.applicationInsightsId,
        [APP_INSIGHTS_METRICS.requests, APP_INSIGHTS_METRICS.failedRequests],
        target.sinceHours,
        now,
      );
      const [count, failed] = [
        t.get(APP_INSIGHTS_METRICS.requests.name) ?? 0,
        t.get(APP_INSIGHTS_METRICS.failedRequests.name) ?? 0,
      ];
      add({
        id: "function-failures",
        title: "push sender invocations",
        status: failed > 0 ? "warn" : "pass",
        evidence: `last ${target.sinceHours}h: ${count} invocations, ${failed} failed`,
        fix:
          failed > 0
            ? "failed invocations are retried by Event Grid; see Application Insights for the event ids and reasons"
            : undefined,
      });
    } catch (error) {
      add({
        id: "function-failures",
        title: "push sender invocations",
        status: readFailureStatus(error),
        evidence: explainAzureError(error, "Application Insights metrics"),
      });
    }
  }
}
