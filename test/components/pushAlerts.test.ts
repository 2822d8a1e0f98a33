import * as pulumi from "@pulumi/pulumi";
import { startMockRuntime, resolveOutput } from "../../tools/mocks/mockRuntime";
import {
  PushAlerts,
  PushAlertsArgs,
  REGISTRATION_FAILURES_QUERY,
  SENDER_FAILURES_QUERY,
  SILENT_PIPELINE_QUERY,
} from "../../components/pushAlerts";
import { PUSH_FUNCTION_NAME, REGISTRATION_FUNCTION_NAME } from "../../function/src/contract";
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
    const rule = r.byType("azure-native:monitor:ScheduledQueryRule").find((x) => x.name === "push-silent-pipeline")!;
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

  it("pages on the push sender's own failures, and gives registration its own signal", async () => {
    const r = await build({
      resourceGroupName: "rg",
      hubId: HUB_ID,
      applicationInsightsId: AI_ID,
      emails: ["oncall@contoso.com"],
    });
    const rules = Object.fromEntries(r.byType("azure-native:monitor:ScheduledQueryRule").map((x) => [x.name, x.inputs]));
    expect(Object.keys(rules).sort()).toEqual(["push-registration-failures", "push-sender-failures", "push-silent-pipeline"]);
    const criterion = (name: string) => (rules[name].criteria as { allOf: Record<string, unknown>[] }).allOf[0];
    expect(rules["push-sender-failures"]).toMatchObject({
      scopes: [AI_ID],
      severity: 3,
      windowSize: "PT15M",
      evaluationFrequency: "PT5M",
    });
    expect(criterion("push-sender-failures")).toMatchObject({
      query: SENDER_FAILURES_QUERY,
      operator: "GreaterThan",
      threshold: 5,
    });
    // Only the sendPush function's failed invocations: a burst of 400/403 from the registration route is not "sender failing".
    expect(SENDER_FAILURES_QUERY).toContain(`operation_Name == "${PUSH_FUNCTION_NAME}"`);
    expect(SENDER_FAILURES_QUERY).toContain('tostring(success) =~ "false"');
    expect(SENDER_FAILURES_QUERY).not.toContain(REGISTRATION_FUNCTION_NAME);
    expect(criterion("push-registration-failures")).toMatchObject({ query: REGISTRATION_FAILURES_QUERY, threshold: 5 });
    expect(REGISTRATION_FAILURES_QUERY).toContain(`operation_Name == "${REGISTRATION_FUNCTION_NAME}"`);
    expect(REGISTRATION_FAILURES_QUERY).toMatch(/toint\(resultCode\) >= 500/);
    // No metric alert on requests/failed, which counts every request of the app.
    const metrics = r.byType("azure-native:monitor:MetricAlert").map((a) => (a.inputs.criteria as Criteria).allOf[0].metricName);
    expect(metrics).not.toContain("requests/failed");
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
