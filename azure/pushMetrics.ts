/**
 * The Azure Monitor metrics the alerts and the doctor read, with the resource type that emits
 * them and the aggregation Azure supports for each. Checked against Azure's published
 * supported-metrics tables by test/azure/pushMetrics.test.ts: a metric or aggregation Azure does not
 * have is rejected by ARM when an alert is created, and silently reads as zero in the doctor.
 */
export type MetricAggregation = "Total" | "Count" | "Average" | "Maximum" | "Minimum";

export interface MetricRef {
  /** The resource type (metric namespace) that emits it. */
  readonly namespace: string;
  /** The name in the REST API. */
  readonly name: string;
  readonly aggregation: MetricAggregation;
}

export const HUB_METRIC_NAMESPACE = "Microsoft.NotificationHubs/namespaces/notificationHubs";
export const SYSTEM_TOPIC_METRIC_NAMESPACE = "Microsoft.EventGrid/systemTopics";
export const APP_INSIGHTS_METRIC_NAMESPACE = "microsoft.insights/components";

const hub = (name: string): MetricRef => ({ namespace: HUB_METRIC_NAMESPACE, name, aggregation: "Total" });
const topic = (name: string): MetricRef => ({ namespace: SYSTEM_TOPIC_METRIC_NAMESPACE, name, aggregation: "Total" });
// Application Insights' request metrics support only the Count aggregation.
const insights = (name: string): MetricRef => ({ namespace: APP_INSIGHTS_METRIC_NAMESPACE, name, aggregation: "Count" });

export const HUB_METRICS = {
  incoming: hub("incoming"),
  failedRequests: hub("incoming.all.failedrequests"),
  delivered: hub("outgoing.allpns.success"),
  apnsInvalidCredentials: hub("outgoing.apns.invalidcredentials"),
  fcmV1InvalidCredentials: hub("outgoing.fcmv1.invalidcredentials"),
  pnsErrors: hub("outgoing.allpns.pnserror"),
  invalidPayload: hub("outgoing.allpns.invalidpayload"),
} as const;

/**
 * The hub's failure categories. FCM v1 has metrics of its own (`outgoing.fcmv1.*`); the legacy
 * GCM ones are kept because a hub that still holds a GCM key reports there.
 */
export const HUB_FAILURE_CATEGORIES: Readonly<Record<string, readonly MetricRef[]>> = {
  "bad or expired channel": [hub("outgoing.allpns.badorexpiredchannel")],
  "channel errors": [hub("outgoing.allpns.channelerror")],
  "registered for another app": [hub("outgoing.fcmv1.wrongchannel"), hub("outgoing.gcm.wrongchannel")],
  throttled: [hub("outgoing.fcmv1.throttled"), hub("outgoing.gcm.throttled")],
  "invalid payload": [hub("outgoing.allpns.invalidpayload")],
  "authentication errors": [
    hub("outgoing.apns.invalidcredentials"),
    hub("outgoing.fcmv1.invalidcredentials"),
    hub("outgoing.gcm.authenticationerror"),
    hub("outgoing.gcm.invalidcredentials"),
  ],
  "PNS errors": [hub("outgoing.allpns.pnserror")],
};

export const SYSTEM_TOPIC_METRICS = {
  delivered: topic("DeliverySuccessCount"),
  failedAttempts: topic("DeliveryAttemptFailCount"),
  deadLettered: topic("DeadLetteredCount"),
  dropped: topic("DroppedEventCount"),
} as const;

export const APP_INSIGHTS_METRICS = {
  requests: insights("requests/count"),
  failedRequests: insights("requests/failed"),
} as const;
