import * as pulumi from "@pulumi/pulumi";
import { startMockRuntime, resolveOutput } from "../../tools/mocks/mockRuntime";
import { PushAlerts, PushAlertsArgs, SILENT_PIPELINE_QUERY } from "../../components/pushAlerts";
import { settleRegistrations } from "../support/settle";
import { armExample } from "../support/azureFixtures";

const HUB_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/ns/notificationHubs/hub";
const TOPIC_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.EventGrid/systemTopics/acs-events";
const AI_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/insights";

async function build(args: PushAlertsArgs) {
  const recording = startMockRuntime({ stack: "prod" });
  const alerts = new PushAlerts("push", args);
  await resolveOutput(alerts.actionGroup.id);
  await Promise.all(alerts.alerts.map((a) => resolveOutput(a.id)));
  await settleRegistrations();
  return recording;
}

type Criteria = {
  allOf: { metricName: string; metricNamespace: string; operator: string; threshold: number; timeAggregation: string }[];
};

describe("PushAlerts", () => {
  it("alerts on hub failures and drops, Event Grid dead-letters and failures, and sender failures, to one action group", async () => {
    const r = await build({
      resourceGroupName: "rg",
      hubId: HUB_ID,
      eventGridSystemTopicId: TOPIC_ID,
      applicationInsightsId: AI_ID,
      emails: ["oncall@contoso.com"],
    });
    const group = r.one("azure-native:monitor:ActionGroup");
    expect(group.inputs).toMatchObject({
      location: "global",
      groupShortName: "acs-push",
      enabled: true,
      emailReceivers: [{ name: "email-1", emailAddress: "oncall@contoso.com", useCommonAlertSchema: true }],
    });
    const alerts = r.byType("azure-native:monitor:MetricAlert");
    const summary = alerts.map((a) => {
      const c = (a.inputs.criteria as Criteria).allOf[0];
      return [a.name, (a.inputs.scopes as string[])[0], c.metricName, c.operator, c.threshold, a.inputs.severity];
    });
    expect(summary).toEqual([
      ["push-hub-auth-errors", HUB_ID, "outgoing.apns.invalidcredentials", "GreaterThan", 0, 1],
      ["push-hub-fcm-auth-errors", HUB_ID, "outgoing.fcmv1.invalidcredentials", "GreaterThan", 0, 1],
      ["push-hub-pns-errors", HUB_ID, "outgoing.allpns.pnserror", "GreaterThan", 0, 2],
      ["push-hub-payload-errors", HUB_ID, "outgoing.allpns.invalidpayload", "GreaterThan", 0, 2],
      ["push-hub-rejected-sends", HUB_ID, "incoming.all.failedrequests", "GreaterThan", 0, 2],
      ["push-events-dead-lettered", TOPIC_ID, "DeadLetteredCount", "GreaterThan", 0, 2],
      ["push-events-failing", TOPIC_ID, "DeliveryAttemptFailCount", "GreaterThan", 10, 3],
      ["push-sender-failures", AI_ID, "requests/failed", "GreaterThan", 5, 3],
    ]);
    for (const alert of alerts) {
      expect(alert.inputs).toMatchObject({ evaluationFrequency: "PT5M", windowSize: "PT15M", enabled: true, autoMitigate: true });
      expect((alert.inputs.actions as { actionGroupId: string }[])[0].actionGroupId).toMatch(/actionGroups\/push-action-group/);
      expect(alert.parent).toBe(r.one("acs-notifications:monitoring:PushAlerts").urn);
    }
  });

  it("alarms on a silent pipeline: the sender tried to push and the hub accepted nothing", async () => {
    const r = await build({
      resourceGroupName: "rg",
      location: "westeurope",
      hubId: HUB_ID,
      applicationInsightsId: AI_ID,
      emails: ["oncall@contoso.com"],
    });
    const rule = r.one("azure-native:monitor:ScheduledQueryRule");
    expect(rule.inputs).toMatchObject({
      location: "westeurope",
      scopes: [AI_ID],
      severity: 1,
      windowSize: "PT30M",
      evaluationFrequency: "PT15M",
      criteria: { allOf: [{ query: SILENT_PIPELINE_QUERY, timeAggregation: "Count", operator: "GreaterThan", threshold: 0 }] },
    });
    // Shaped like Azure's published scheduled query rule request: the same fields and value forms.
    const published = (
      armExample("monitor/createOrUpdateScheduledQueryRule.request.json").parameters.parameters as {
        properties: { criteria: { allOf: Record<string, unknown>[] }; actions: object };
      }
    ).properties;
    const ours = (rule.inputs.criteria as { allOf: Record<string, unknown>[] }).allOf[0];
    for (const key of Object.keys(ours)) expect([key, key in published.criteria.allOf[0]]).toEqual([key, true]);
    expect(ours.operator).toBe(published.criteria.allOf[0].operator);
    expect(Object.keys(rule.inputs.actions as object)).toEqual(expect.arrayContaining(["actionGroups"]));
    expect((rule.inputs.actions as { actionGroups: string[] }).actionGroups[0]).toMatch(/actionGroups\/push-action-group/);
    const without = await build({ resourceGroupName: "rg", hubId: HUB_ID, emails: ["oncall@contoso.com"] });
    expect(without.byType("azure-native:monitor:ScheduledQueryRule")).toHaveLength(0);
  });

  it("without the Event Grid path, watches the hub only", async () => {
    const r = await build({ resourceGroupName: "rg", hubId: HUB_ID, emails: ["oncall@contoso.com"] });
    expect(r.byType("azure-native:monitor:MetricAlert").map((a) => a.name)).toEqual([
      "push-hub-auth-errors",
      "push-hub-fcm-auth-errors",
      "push-hub-pns-errors",
      "push-hub-payload-errors",
      "push-hub-rejected-sends",
    ]);
  });

  it("calls a webhook kept secret", async () => {
    const r = await build({ resourceGroupName: "rg", hubId: HUB_ID, webhookUrl: "https://hooks.contoso.com/alert?token=t0p" });
    const group = r.one("azure-native:monitor:ActionGroup");
    expect(pulumi.runtime.isRpcSecret(group.inputs.webhookReceivers)).toBe(true);
    expect(group.additionalSecretOutputs).toContain("webhookReceivers");
  });

  it("refuses alerts nobody receives", () => {
    startMockRuntime({ stack: "prod" });
    expect(() => new PushAlerts("push", { resourceGroupName: "rg", hubId: HUB_ID })).toThrow(/at least one email or a webhook/);
  });
});
