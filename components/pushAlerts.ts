import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";

export interface PushAlertsArgs {
  /** Resource group for the action group and alert rules. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The notification hub to watch. */
  readonly hubId: pulumi.Input<string>;
  /** Event Grid system topic on ACS. Default: no Event Grid alerts. */
  readonly eventGridSystemTopicId?: pulumi.Input<string>;
  /** Application Insights of the push sender. Default: no function alerts. */
  readonly applicationInsightsId?: pulumi.Input<string>;
  /** Who is emailed. Default: nobody. */
  readonly emails?: readonly string[];
  /** A webhook (chat, paging) to call; kept secret. Default: none. */
  readonly webhookUrl?: pulumi.Input<string>;
  /** Tags applied to every resource. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

interface AlertSpec {
  readonly key: string;
  readonly description: string;
  readonly scope: pulumi.Input<string>;
  readonly namespace: string;
  readonly metric: string;
  readonly threshold: number;
  /** 0 critical … 4 verbose. */
  readonly severity: number;
}

/**
 * Metric alerts for the ways pushes fail quietly, sent to one action group: the hub rejecting its
 * platform credentials, platform errors and rejected send requests, Event Grid dead-lettering or
 * failing deliveries, and the push sender failing. Each fires on a 15-minute window, checked every 5.
 */
export class PushAlerts extends pulumi.ComponentResource {
  public readonly actionGroup: monitor.ActionGroup;
  public readonly alerts: monitor.MetricAlert[];

  constructor(name: string, args: PushAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("acs-notifications:monitoring:PushAlerts", name, {}, opts);
    if ((args.emails ?? []).length === 0 && !args.webhookUrl) {
      throw new pulumi.ResourceError("PushAlerts needs at least one email or a webhook: alerts nobody receives are noise.", this);
    }

    this.actionGroup = new monitor.ActionGroup(
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
      { parent: this, additionalSecretOutputs: ["webhookReceivers"] },
    );

    const hub = "Microsoft.NotificationHubs/Namespaces/NotificationHubs";
    const specs: AlertSpec[] = [
      {
        key: "hub-auth-errors",
        description: "APNs rejected the hub's token credentials: every iOS push fails until the .p8 key is fixed.",
        scope: args.hubId,
        namespace: hub,
        metric: "outgoing.apns.invalidcredentials",
        threshold: 0,
        severity: 1,
      },
      {
        key: "hub-pns-errors",
        description: "The hub failed to deliver pushes to APNs/FCM.",
        scope: args.hubId,
        namespace: hub,
        metric: "outgoing.allpns.pnserror",
        threshold: 0,
        severity: 2,
      },
      {
        key: "hub-payload-errors",
        description: "APNs/FCM rejected push payloads.",
        scope: args.hubId,
        namespace: hub,
        metric: "outgoing.allpns.invalidpayload",
        threshold: 0,
        severity: 2,
      },
      {
        key: "hub-rejected-sends",
        description: "The hub rejected send requests (ACS or the push sender): pushes were dropped before delivery.",
        scope: args.hubId,
        namespace: hub,
        metric: "incoming.all.failedrequests",
        threshold: 0,
        severity: 2,
      },
    ];
    if (args.eventGridSystemTopicId) {
      const topic = "Microsoft.EventGrid/systemTopics";
      specs.push(
        {
          key: "events-dead-lettered",
          description: "Event Grid gave up on ACS events and dead-lettered them: those pushes were never sent.",
          scope: args.eventGridSystemTopicId,
          namespace: topic,
          metric: "DeadLetteredCount",
          threshold: 0,
          severity: 2,
        },
        {
          key: "events-failing",
          description: "Event Grid keeps failing to deliver ACS events to the push sender.",
          scope: args.eventGridSystemTopicId,
          namespace: topic,
          metric: "DeliveryAttemptFailCount",
          threshold: 10,
          severity: 3,
        },
      );
    }
    if (args.applicationInsightsId) {
      specs.push({
        key: "sender-failures",
        description: "The push sender failed invocations (Event Grid retries them).",
        scope: args.applicationInsightsId,
        namespace: "microsoft.insights/components",
        metric: "requests/failed",
        threshold: 5,
        severity: 3,
      });
    }

    this.alerts = specs.map(
      (spec) =>
        new monitor.MetricAlert(
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
                  metricName: spec.metric,
                  metricNamespace: spec.namespace,
                  operator: monitor.Operator.GreaterThan,
                  threshold: spec.threshold,
                  timeAggregation: monitor.AggregationTypeEnum.Total,
                },
              ],
            },
            actions: [{ actionGroupId: this.actionGroup.id }],
            tags: args.tags,
          },
          { parent: this },
        ),
    );
    this.registerOutputs({ actionGroupId: this.actionGroup.id });
  }
}
