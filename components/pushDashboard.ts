import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import { COMPONENT_TYPES } from "./resourceTypes";
import { ComponentScope } from "./componentScope";
import { REGISTRATION_FUNCTION_NAME } from "../function/src/contract";
import { LEDGER_RECORDS_KQL } from "../azure/ledgerKql";

export interface PushDashboardArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  /** Application Insights of the push sender: the workbook's source and the scope of its queries. */
  readonly applicationInsightsId: pulumi.Input<string>;
  /** Shown in the portal's workbook list. */
  readonly displayName: string;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The delivery ledger's records (function/src/ledger.ts) with the fields the panels use. */
const LEDGER = [
  LEDGER_RECORDS_KQL,
  "| extend step = tostring(record.step), status = toint(record.status), latencyMs = toreal(record.latencyMs)",
].join("\n");

/** One panel of the workbook: a title, a query over Application Insights, and how to draw it. */
export interface DashboardPanel {
  readonly title: string;
  readonly query: string;
  readonly visualization: "barchart" | "timechart" | "table";
}

/**
 * The panels, in the order they are shown: where events are lost between ACS and the device, how
 * long the hub takes to accept, why events were given up, how devices register, who waits longest.
 */
export const DASHBOARD_PANELS: readonly DashboardPanel[] = [
  {
    title: "Delivery funnel: events → pushes attempted → accepted by the hub → delivered by Apple or Google",
    query: [
      LEDGER,
      "| summarize count() by stage = case(" +
        'step == "event-received", "1 events received", ' +
        'step == "push-attempted", "2 pushes attempted", ' +
        'step == "hub-answered" and status == 201, "3 accepted by the hub", ' +
        'step == "hub-answered", "4 refused by the hub", ' +
        'step == "retried", "5 retried", ' +
        'step == "dead-lettered", "6 dead-lettered", ' +
        'step == "pns-outcome" and toint(record.pnsOutcomes.Success) > 0, "7 delivered, said Apple or Google", ' +
        'step == "pns-outcome" and tostring(record.pnsState) != "unavailable", "8 failed at Apple or Google", ' +
        '"")',
      // Registration records and outcomes a tier cannot report are not stages of an event.
      '| where stage != ""',
      "| order by stage asc",
    ].join("\n"),
    visualization: "barchart",
  },
  {
    title: "Latency from the event to the hub's acceptance (ms): p50, p95, p99",
    query: [
      LEDGER,
      '| where step == "hub-answered" and status == 201',
      "| summarize p50 = percentile(latencyMs, 50), p95 = percentile(latencyMs, 95), p99 = percentile(latencyMs, 99) by bin(timestamp, 1h)",
    ].join("\n"),
    visualization: "timechart",
  },
  {
    title: "Refusals by the hub, by platform and status",
    query: [
      LEDGER,
      '| where step == "hub-answered" and status != 201',
      "| summarize refusals = count() by platform = tostring(record.platform), status",
      "| order by refusals desc",
    ].join("\n"),
    visualization: "table",
  },
  {
    title: "What Apple and Google did (Standard hubs): devices by platform and outcome",
    query: [
      LEDGER,
      '| where step == "pns-outcome"',
      // Each record's outcome counts (a property bag) as rows; a tier that reports none counts once as unavailable.
      '| mv-expand bagexpansion=array outcome = iff(tostring(record.pnsState) == "unavailable", dynamic({"unavailable": 1}), record.pnsOutcomes)',
      "| extend outcomeName = tostring(outcome[0]), devices = toint(outcome[1])",
      "| summarize devices = sum(devices) by platform = tostring(record.platform), category = case(" +
        'outcomeName == "Success", "delivered", ' +
        'outcomeName matches regex "(?i)token|channel|unregistered|expired", "device token rejected", ' +
        'outcomeName matches regex "(?i)credential|certificate", "hub credential refused", ' +
        'outcomeName == "unavailable", "not reported (tier)", ' +
        '"other failure")',
      "| order by platform asc, devices desc",
    ].join("\n"),
    visualization: "barchart",
  },
  {
    title: "Dead letters by reason",
    query: [
      LEDGER,
      '| where step == "dead-lettered"',
      "| summarize events = count() by reason = tostring(record.reason)",
      "| top 20 by events desc",
    ].join("\n"),
    visualization: "barchart",
  },
  {
    title: "Device registrations: saved (200), deleted (204), refused (4xx)",
    query: [
      "requests",
      `| where operation_Name == "${REGISTRATION_FUNCTION_NAME}"`,
      '| summarize saved = countif(resultCode == "200"), deleted = countif(resultCode == "204"), refused = countif(toint(resultCode) between (400 .. 499)) by bin(timestamp, 1h)',
    ].join("\n"),
    visualization: "timechart",
  },
  {
    title: "Slowest recipients (by tag): p95 latency to the hub's acceptance",
    query: [
      LEDGER,
      '| where step == "hub-answered" and status == 201',
      "| summarize p95 = percentile(latencyMs, 95), pushes = count() by recipientTag = tostring(record.recipientTag)",
      "| top 10 by p95 desc",
    ].join("\n"),
    visualization: "table",
  },
];

/** The text at the top: what the workbook shows and where its records come from. */
const INTRODUCTION =
  "## Push delivery\n" +
  "From the push sender's delivery ledger (one record per step of each event) and its registration requests. " +
  "What Apple and Google did with each push comes from the hub's per-message telemetry, which only the Standard tier reports.";

/** A workbook's definition in Azure Monitor's `Notebook/1.0` schema: a text item, then one query item per panel. */
export function workbookDefinition(panels: readonly DashboardPanel[] = DASHBOARD_PANELS): string {
  return JSON.stringify({
    version: "Notebook/1.0",
    items: [
      { type: 1, content: { json: INTRODUCTION }, name: "introduction" },
      ...panels.map((panel, i) => ({
        type: 3,
        content: {
          version: "KqlItem/1.0",
          query: panel.query,
          size: 0,
          title: panel.title,
          timeContext: { durationMs: 86_400_000 },
          queryType: 0,
          resourceType: "microsoft.insights/components",
          visualization: panel.visualization,
        },
        name: `panel-${i + 1}`,
      })),
    ],
    isLocked: false,
  });
}

/** A workbook's name must be a GUID; this one is derived from the stack's own, so it is the same on every `up`. */
export function workbookGuid(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * An Azure Monitor workbook on the push sender's Application Insights, deployed with the stack:
 * the delivery funnel, latency, refusals, dead letters, registrations and the slowest recipients.
 */
export class PushDashboard extends pulumi.ComponentResource {
  public readonly workbook: applicationinsights.Workbook;

  constructor(name: string, args: PushDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENT_TYPES.pushDashboard, name, {}, opts);
    this.workbook = deliveryWorkbook({ name, args, child: { parent: this } });
    this.registerOutputs({ workbookId: this.workbook.id });
  }
}

function deliveryWorkbook({ name, args, child }: ComponentScope<PushDashboardArgs>): applicationinsights.Workbook {
  return new applicationinsights.Workbook(
    `${name}-workbook`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      resourceName: workbookGuid(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`),
      kind: applicationinsights.WorkbookSharedTypeKind.Shared,
      category: "workbook",
      displayName: args.displayName,
      sourceId: args.applicationInsightsId,
      serializedData: workbookDefinition(),
      tags: args.tags,
    },
    child,
  );
}
