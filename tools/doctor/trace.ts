/**
 * `doctor trace --user RAW_ID`: the delivery ledger's records for one user, read from the push
 * sender's Application Insights with the operator's own Entra identity (Azure Monitor's query API,
 * `POST /v1/{resourceId}/query`; never a workspace key), and judged by traceVerdict.ts.
 */
import type { PipelineOptions } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { createAuthenticatedPipeline, INTERACTIVE_RETRIES, resolveCredential } from "../../azure/authenticatedPipeline";
import { networkFailure, REQUEST_TIMEOUT_MS, requestLimitsPolicy } from "../../azure/requestLimits";
import { LedgerRecord, parseLedgerLine } from "../../function/src/ledger";
import { LEDGER_RECORDS_KQL } from "../../azure/ledgerKql";
import { traceUser, UserTrace } from "./traceVerdict";

/** Azure Monitor's query endpoint; ACS_NOTIFICATIONS_LOGS_ENDPOINT for sovereign clouds and tests. */
export const LOGS_ENDPOINT_ENV = "ACS_NOTIFICATIONS_LOGS_ENDPOINT";
const DEFAULT_LOGS_ENDPOINT = "https://api.loganalytics.io";

/** The most records one trace reads: a user's day is tens of records; more is a loop, not a user. */
export const MAX_TRACE_RECORDS = 5000;

const TAG = /^user_[0-9a-f]{64}$/;
const COMPONENT_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Insights\/components\/[^/]+$/i;

/** The query for one tag's records; the tag is checked to be `user_` + 64 hex first, so it cannot break out of its string. */
export function ledgerQuery(recipientTag: string): string {
  if (!TAG.test(recipientTag)) throw new Error(`'${recipientTag.slice(0, 80)}' is not a recipient tag (user_ and 64 hex).`);
  return [
    LEDGER_RECORDS_KQL,
    `| where tostring(record.recipientTag) == "${recipientTag}"`,
    "| project timestamp, message",
    "| order by timestamp asc",
    `| take ${MAX_TRACE_RECORDS}`,
  ].join("\n");
}

export interface TraceOptions {
  /** Default: DefaultAzureCredential (the operator's `az login`). */
  readonly credential?: TokenCredential;
  /** Default: ACS_NOTIFICATIONS_LOGS_ENDPOINT, else Azure Monitor's public endpoint. */
  readonly endpoint?: string;
  /** TLS trust and retry timings, for tests. */
  readonly pipelineOptions?: PipelineOptions;
  readonly requestTimeoutMs?: number;
}

export interface QueryResults {
  readonly tables?: readonly {
    readonly columns?: readonly { readonly name?: string }[];
    readonly rows?: readonly (readonly unknown[])[];
  }[];
}

/**
 * The first table of a query answer (Azure Monitor's `tables` → `columns` + `rows`) and where each
 * required column is; `optional` columns are -1 when absent. An answer without a required column
 * is unreadable, and the error names the host, never the answer.
 */
export function answerTable<R extends string, O extends string = never>(
  answer: QueryResults,
  host: string,
  required: readonly R[],
  optional: readonly O[] = [],
): { rows: readonly (readonly unknown[])[]; column: Record<R | O, number> } {
  const table = answer.tables?.[0];
  const index = (name: string) => table?.columns?.findIndex((c) => c.name === name) ?? -1;
  const column = Object.fromEntries([...required, ...optional].map((name) => [name, index(name)])) as Record<R | O, number>;
  if (!table || !Array.isArray(table.rows) || required.some((name) => column[name] < 0))
    throw networkFailure("unreadable", host, 0);
  return { rows: table.rows, column };
}

/** The ledger records in a query answer; lines that are not records are skipped. */
export function recordsFromAnswer(answer: QueryResults, host: string): LedgerRecord[] {
  const { rows, column } = answerTable(answer, host, ["message"]);
  return rows.flatMap((row) => {
    const message = row[column.message];
    return typeof message === "string" ? (parseLedgerLine(message) ?? []) : [];
  });
}

/**
 * The one way the doctor queries the push sender's Application Insights: Azure Monitor's query API
 * with the operator's Entra token, bounded like every other read (boundedHttpClient), refusals
 * said with the role that is missing. Returns the answer's tables.
 */
export async function queryApplicationInsights(
  applicationInsightsId: string,
  query: string,
  hours: number,
  options: TraceOptions = {},
): Promise<{ answer: QueryResults; host: string }> {
  if (!COMPONENT_ID.test(applicationInsightsId))
    throw new Error(`'${applicationInsightsId.slice(0, 200)}' is not the ARM id of an Application Insights component.`);
  const endpoint = (options.endpoint ?? process.env[LOGS_ENDPOINT_ENV] ?? DEFAULT_LOGS_ENDPOINT).replace(/\/$/, "");
  const host = new URL(endpoint).host;
  const http = await createAuthenticatedPipeline({
    credential: options.credential ?? (await resolveCredential()),
    scope: `${endpoint}/.default`,
    limits: requestLimitsPolicy(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
    retryOptions: INTERACTIVE_RETRIES,
    pipelineOptions: options.pipelineOptions,
  });
  const res = await http.send({
    url: `${endpoint}/v1${applicationInsightsId}/query`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, timespan: `PT${hours}H` }),
  });
  if (res.status === 401 || res.status === 403) {
    throw new Error(
      `${host} refused the query (HTTP ${res.status}): your identity needs to read Application Insights' logs ` +
        "(Log Analytics Reader, or Microsoft.Insights/components/query/read on the component).",
    );
  }
  if (res.status !== 200) throw new Error(`${host} answered the query with HTTP ${res.status}.`);
  try {
    return { answer: JSON.parse(res.bodyAsText ?? "") as QueryResults, host };
  } catch {
    throw networkFailure("unreadable", host, 0);
  }
}

/** Reads one user's ledger records from Application Insights and traces them. */
export async function traceFromApplicationInsights(
  applicationInsightsId: string,
  recipientTag: string,
  sinceHours: number,
  options: TraceOptions = {},
): Promise<UserTrace> {
  const { answer, host } = await queryApplicationInsights(applicationInsightsId, ledgerQuery(recipientTag), sinceHours, options);
  const windowText = sinceHours % 24 === 0 ? `${sinceHours / 24} day(s)` : `${sinceHours} hour(s)`;
  return traceUser(recipientTag, recordsFromAnswer(answer, host), windowText);
}
