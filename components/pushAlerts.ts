import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import { HUB_METRICS, MetricRef, SYSTEM_TOPIC_METRICS } from "../azure/pushMetrics";
import { COMPONENT_TYPES } from "./resourceTypes";
import { ComponentScope } from "./componentScope";
import { PUSH_FUNCTION_NAME, REGISTRATION_FUNCTION_NAME } from "../function/src/contract";
import { LEDGER_RECORDS_KQL } from "../azure/ledgerKql";

export interface PushAlertsArgs {
  /** Resource group for the action group and alert rules. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The notification hub to watch (the linked one). */
  readonly hubId: pulumi.Input<string>;
  /**
   * With several apps or partitions: every other hub, each watched by the same hub alerts, named
   * after its app and partition (`customer-p1`). Default: none.
   */
  readonly additionalHubs?: readonly {
    readonly label: string;
    readonly hubId: pulumi.Input<string>;
    /** The hub's platforms: a platform it has no credential for gets no credential alert. */
    readonly platforms: readonly ("apple" | "fcmv1")[];
  }[];
  /** Event Grid system topic on ACS. Default: no Event Grid alerts. */
  readonly eventGridSystemTopicId?: pulumi.Input<string>;
  /** Application Insights of the push sender. Default: no function alerts. */
  readonly applicationInsightsId?: pulumi.Input<string>;
  /** Region of the log alert rule (Application Insights' region). Default: westeurope. */
  readonly location?: pulumi.Input<string>;
  /** Who is emailed. Default: nobody. */
  readonly emails?: readonly string[];
  /** A webhook (chat, paging) to call; kept secret. Default: none. */
  readonly webhookUrl?: pulumi.Input<string>;
  /** Tags applied to every resource. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Rows when, in the window, the sender's delivery ledger (function/src/ledger.ts) holds push
 * attempts and no notification the hub accepted (201).
 */
export const SILENT_PIPELINE_QUERY = [
  LEDGER_RECORDS_KQL,
  '| summarize attempts = countif(tostring(record.step) == "push-attempted"), accepted = countif(tostring(record.step) == "hub-answered" and toint(record.status) == 201)',
  "| where attempts > 0 and accepted == 0",
].join("\n");

/**
 * The push sender's failed invocations, and nothing else: the Functions host records one `requests`
 * row per invocation, named after the function. `requests/failed` (the metric) counts every request
 * of the app that answered ≥ 400 — a burst of refused registrations would page as "sender failing".
 * `success` is a string ("True"/"False") in Application Insights' own schema and a bool in Log
 * Analytics' (Microsoft's apm-tables reference): compared as text, case-insensitively, it reads both.
 */
export const SENDER_FAILURES_QUERY = [
  "requests",
  `| where operation_Name == "${PUSH_FUNCTION_NAME}" and tostring(success) =~ "false"`,
].join("\n");

/**
 * The registration route's own signal: its server errors (5xx). Refusals (400, 401, 403, 404) are
 * answers to a back end's mistakes, which the back end sees; a 5xx is the endpoint failing.
 */
export const REGISTRATION_FAILURES_QUERY = [
  "requests",
  `| where operation_Name == "${REGISTRATION_FUNCTION_NAME}" and toint(resultCode) >= 500`,
].join("\n");

/** A log alert on Application Insights: rows of `query` counted over the window. */
interface LogAlertSpec {
  readonly key: string;
  readonly description: string;
  readonly query: string;
  /** Fires when more rows than this are found. */
  readonly threshold: number;
  readonly severity: number;
  readonly windowSize: string;
  readonly evaluationFrequency: string;
}

interface AlertSpec {
  readonly key: string;
  readonly description: string;
  readonly scope: pulumi.Input<string>;
  readonly metric: MetricRef;
  readonly threshold: number;
  /** 0 critical … 4 verbose. */
  readonly severity: number;
  /** A credential alert's platform: a hub without that platform's credential gets none. */
  readonly platform?: "apple" | "fcmv1";
}

/**
 * Alerts for the ways pushes fail quietly, sent to one action group. Metric alerts: APNs or FCM v1
 * rejecting the hub's credentials, platform errors and rejected send requests, Event Grid dead-lettering or
 * failing deliveries (each on a 15-minute window, checked every 5). Log alerts on the Function's own
 * telemetry: the push sender failing, the registration endpoint failing, and a silent pipeline.
 */
export class PushAlerts extends pulumi.ComponentResource {
  public readonly actionGroup: monitor.ActionGroup;
  public readonly alerts: monitor.MetricAlert[];
  /** Events the sender tried to push while the hub accepted none: the guide's "incoming messages" check. */
  public readonly silentPipeline?: monitor.ScheduledQueryRule;
  /** Log alerts on the Function's own telemetry: sender failures, registration failures, the silent pipeline. */
  public readonly logAlerts: monitor.ScheduledQueryRule[] = [];

  constructor(name: string, args: PushAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.pushAlerts, name, {}, opts);
    if ((args.emails ?? []).length === 0 && !args.webhookUrl) {
      throw new pulumi.ResourceError("PushAlerts needs at least one email or a webhook: alerts nobody receives are noise.", this);
    }
    const scope: AlertScope = { name, args, child: { parent: this } };
    this.actionGroup = actionGroup(scope);
    this.alerts = metricAlertSpecs(args).map((spec) => metricAlert(scope, this.actionGroup, spec));
    const insightsId = args.applicationInsightsId;
    if (insightsId) {
      const specs = logAlertSpecs();
      this.logAlerts = specs.map((spec) => logAlert(scope, insightsId, this.actionGroup, spec));
      this.silentPipeline = this.logAlerts[specs.findIndex((spec) => spec.key === SILENT_PIPELINE_KEY)];
    }
    this.registerOutputs({ actionGroupId: this.actionGroup.id });
  }
}

type AlertScope = ComponentScope<PushAlertsArgs>;

/** Who is told: the emails and the webhook (kept secret), with Azure's common alert schema. */
function actionGroup({ name, args, child }: AlertScope): monitor.ActionGroup {
  return new monitor.ActionGroup(
    `${name}-action-group`,
    {
      resourceGroupName: args.resourceGroupName,
      location: "global",
      // Shown in SMS and email subjects; Azure allows 12 characters.
      groupShortName: "acs-push",
      enabled: true,
      emailReceivers: (args.emails ?? []).map((emailAddress, i) => ({
        name: `email-${i + 1}`,
        emailAddress,
        useCommonAlertSchema: true,
      })),
      webhookReceivers: args.webhookUrl
        ? [{ name: "webhook", serviceUri: pulumi.secret(args.webhookUrl), useCommonAlertSchema: true }]
        : [],
      tags: args.tags,
    },
    { ...child, additionalSecretOutputs: ["webhookReceivers"] },
  );
}

/** One hub's alerts: its platforms' credential errors, platform errors, rejected payloads and sends. */
function hubAlertSpecs(hubId: pulumi.Input<string>): AlertSpec[] {
  return [
    {
      key: "hub-auth-errors",
      description: "APNs rejected the hub's token credentials: every iOS push fails until the .p8 key is fixed.",
      scope: hubId,
      metric: HUB_METRICS.apnsInvalidCredentials,
      threshold: 0,
      severity: 1,
      platform: "apple",
    },
    {
      key: "hub-fcm-auth-errors",
      description: "FCM v1 rejected the hub's service-account credentials: every Android push fails until they are fixed.",
      scope: hubId,
      metric: HUB_METRICS.fcmV1InvalidCredentials,
      threshold: 0,
      severity: 1,
      platform: "fcmv1",
    },
    {
      key: "hub-pns-errors",
      description: "The hub failed to deliver pushes to APNs/FCM.",
      scope: hubId,
      metric: HUB_METRICS.pnsErrors,
      threshold: 0,
      severity: 2,
    },
    {
      key: "hub-payload-errors",
      description: "APNs/FCM rejected push payloads.",
      scope: hubId,
      metric: HUB_METRICS.invalidPayload,
      threshold: 0,
      severity: 2,
    },
    {
      key: "hub-rejected-sends",
      description: "The hub rejected send requests (ACS or the push sender): pushes were dropped before delivery.",
      scope: hubId,
      metric: HUB_METRICS.failedRequests,
      threshold: 0,
      severity: 2,
    },
  ];
}

/** The metric alerts: every hub's credential, platform and send errors; Event Grid's dead letters and failures. */
function metricAlertSpecs(args: PushAlertsArgs): AlertSpec[] {
  const specs: AlertSpec[] = [
    ...hubAlertSpecs(args.hubId),
    // The linked hub's alerts keep their names; every other app partition's hub gets its own, named after it.
    ...(args.additionalHubs ?? []).flatMap(({ label, hubId, platforms }) =>
      hubAlertSpecs(hubId)
        .filter((spec) => spec.platform === undefined || platforms.includes(spec.platform))
        .map((spec) => ({ ...spec, key: `${spec.key}-${label}`, description: `${label}: ${spec.description}` })),
    ),
  ];
  if (args.eventGridSystemTopicId) {
    specs.push(
      {
        key: "events-dead-lettered",
        description: "Event Grid gave up on ACS events and dead-lettered them: those pushes were never sent.",
        scope: args.eventGridSystemTopicId,
        metric: SYSTEM_TOPIC_METRICS.deadLettered,
        threshold: 0,
        severity: 2,
      },
      {
        key: "events-failing",
        description: "Event Grid keeps failing to deliver ACS events to the push sender.",
        scope: args.eventGridSystemTopicId,
        metric: SYSTEM_TOPIC_METRICS.failedAttempts,
        threshold: 10,
        severity: 3,
      },
    );
  }
  return specs;
}

/** One metric alert on one resource: a 15-minute window, checked every 5 minutes. */
function metricAlert({ name, args, child }: AlertScope, group: monitor.ActionGroup, spec: AlertSpec): monitor.MetricAlert {
  return new monitor.MetricAlert(
    `${name}-${spec.key}`,
    {
      resourceGroupName: args.resourceGroupName,
      location: "global",
      description: spec.description,
      severity: spec.severity,
      enabled: true,
      scopes: [spec.scope],
      evaluationFrequency: "PT5M",
      windowSize: "PT15M",
      autoMitigate: true,
      criteria: {
        odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        allOf: [
          {
            criterionType: "StaticThresholdCriterion",
            name: spec.key,
            metricName: spec.metric.name,
            metricNamespace: spec.metric.namespace,
            operator: monitor.Operator.GreaterThan,
            threshold: spec.threshold,
            // The aggregation Azure supports for this metric (Count for Application Insights requests).
            timeAggregation: spec.metric.aggregation,
          },
        ],
      },
      actions: [{ actionGroupId: group.id }],
      tags: args.tags,
    },
    child,
  );
}

const SILENT_PIPELINE_KEY = "silent-pipeline";

/**
 * The log alerts on the Function's own telemetry. Metric alerts watch one resource, and the hub's
 * metrics cannot say that events arrived upstream. The sender's delivery ledger can: it records
 * each push attempt and each notification the hub accepted. Attempts with no acceptance in the
 * window means the pipeline is silent, whatever the reason (credentials, hub, network).
 */
function logAlertSpecs(): LogAlertSpec[] {
  return [
    {
      key: SILENT_PIPELINE_KEY,
      description: "The push sender tried to push events but the hub accepted none: users get no pushes.",
      query: SILENT_PIPELINE_QUERY,
      threshold: 0,
      severity: 1,
      windowSize: "PT30M",
      evaluationFrequency: "PT15M",
    },
    {
      key: "sender-failures",
      description: `The push sender (${PUSH_FUNCTION_NAME}) failed invocations; Event Grid retries them.`,
      query: SENDER_FAILURES_QUERY,
      threshold: 5,
      severity: 3,
      windowSize: "PT15M",
      evaluationFrequency: "PT5M",
    },
    {
      key: "registration-failures",
      description: `The registration endpoint (${REGISTRATION_FUNCTION_NAME}) failed requests with server errors: devices cannot register.`,
      query: REGISTRATION_FAILURES_QUERY,
      threshold: 5,
      severity: 3,
      windowSize: "PT15M",
      evaluationFrequency: "PT5M",
    },
  ];
}

/** One log alert: rows of its query on Application Insights, counted over its window. */
function logAlert(
  { name, args, child }: AlertScope,
  insightsId: pulumi.Input<string>,
  group: monitor.ActionGroup,
  spec: LogAlertSpec,
): monitor.ScheduledQueryRule {
  return new monitor.ScheduledQueryRule(
    `${name}-${spec.key}`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location ?? "westeurope",
      description: spec.description,
      severity: spec.severity,
      enabled: true,
      scopes: [insightsId],
      evaluationFrequency: spec.evaluationFrequency,
      windowSize: spec.windowSize,
      autoMitigate: true,
      criteria: {
        allOf: [
          {
            query: spec.query,
            timeAggregation: monitor.TimeAggregation.Count,
            // Log alerts spell operators out ("GreaterThan"); azure-native's ConditionOperator enum
            // is the classic alerts' one ("gt"), which this API rejects.
            operator: "GreaterThan",
            threshold: spec.threshold,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
      actions: { actionGroups: [group.id] },
      tags: args.tags,
    },
    child,
  );
}
