import {
  APP_INSIGHTS_METRICS,
  HUB_FAILURE_CATEGORIES,
  HUB_METRICS,
  MetricRef,
  SYSTEM_TOPIC_METRICS,
} from "../../azure/pushMetrics";
import { publishedMetrics } from "../support/publishedMetrics";
import { startMockRuntime } from "../../tools/mocks/mockRuntime";
import { PushAlerts } from "../../components/pushAlerts";
import { settleRegistrations } from "../support/settle";

const catalogue: MetricRef[] = [
  ...Object.values(HUB_METRICS),
  ...Object.values(HUB_FAILURE_CATEGORIES).flat(),
  ...Object.values(SYSTEM_TOPIC_METRICS),
  ...Object.values(APP_INSIGHTS_METRICS),
];

describe("every metric the alerts and the doctor use, held against Azure's published supported-metrics tables", () => {
  it.each(catalogue.map((m) => [m.name, m.namespace, m.aggregation, m] as const))(
    "%s exists on %s with the %s aggregation",
    (_name, namespace, _aggregation, metric) => {
      const table = publishedMetrics(namespace);
      expect(table).toBeDefined();
      const published = table!.get(metric.name);
      expect(published).toBeDefined();
      expect(published!.aggregations).toContain(metric.aggregation);
    },
  );

  it("counts FCM v1 in the credential, throttling and wrong-app categories, not only legacy GCM", () => {
    const names = (label: string) => HUB_FAILURE_CATEGORIES[label].map((m) => m.name);
    expect(names("authentication errors")).toContain("outgoing.fcmv1.invalidcredentials");
    expect(names("throttled")).toContain("outgoing.fcmv1.throttled");
    expect(names("registered for another app")).toContain("outgoing.fcmv1.wrongchannel");
  });

  it("every metric alert the component creates names a published metric with a supported aggregation", async () => {
    const recording = startMockRuntime({ stack: "prod" });
    const sub = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers";
    new PushAlerts("alerts", {
      resourceGroupName: "rg",
      hubId: `${sub}/Microsoft.NotificationHubs/namespaces/ns/notificationHubs/hub`,
      eventGridSystemTopicId: `${sub}/Microsoft.EventGrid/systemTopics/acs-events`,
      applicationInsightsId: `${sub}/Microsoft.Insights/components/push-insights`,
      emails: ["oncall@contoso.com"],
    });
    await settleRegistrations();
    const alerts = recording.byType("azure-native:monitor:MetricAlert");
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      const criteria = alert.inputs.criteria as {
        allOf: { metricName: string; metricNamespace: string; timeAggregation: string }[];
      };
      for (const c of criteria.allOf) {
        const published = publishedMetrics(c.metricNamespace)?.get(c.metricName);
        expect([alert.name, published?.name]).toEqual([alert.name, c.metricName]);
        expect([alert.name, published!.aggregations]).toEqual([alert.name, expect.arrayContaining([c.timeAggregation])]);
      }
    }
    const byMetric = Object.fromEntries(
      alerts.map((a) => [(a.inputs.criteria as { allOf: { metricName: string }[] }).allOf[0].metricName, a.inputs]),
    );
    expect(byMetric["outgoing.fcmv1.invalidcredentials"]).toMatchObject({ severity: 1 });
    // The sender's failures are a log alert on its own invocations (components/pushAlerts.ts), not requests/failed.
    expect(byMetric["requests/failed"]).toBeUndefined();
  });
});
