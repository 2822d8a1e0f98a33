/**
 * `doctor rebalance --app NAME`: while an app grows from `growingFrom` to `partitions` hubs, how
 * many of its users still have their installations in their old partition. The push sender reaches
 * both partitions of such a user meanwhile, so no push is lost; a user's installation moves when
 * their app renews it (the endpoint saves it in the new partition and deletes the old copy —
 * docs/apps-and-partitions.md). When none remain, `growingFrom` is removed from the stack.
 *
 * Read from the registration endpoint's ledger records (the last save or delete of each user in
 * the app, and its partition), with the operator's logs reader role — no hub key.
 */
import { LEDGER_RECORDS_KQL } from "../../azure/ledgerKql";
import { partitionOf } from "../../function/src/partitions";
import { APP_NAME } from "../../function/src/contract";
import { FRESHNESS_LOOKBACK_HOURS } from "./freshness";
import { answerTable, queryApplicationInsights, QueryResults, TraceOptions } from "./trace";

/** At most this many users are read; beyond it the counts are of the users read (said in the report). */
export const MAX_REBALANCE_USERS = 200_000;

/** Each user's last registration step in the app, and the partition it was in. */
export function rebalanceQuery(app: string): string {
  if (!APP_NAME.test(app)) throw new Error(`'${app.slice(0, 40)}' is not an app name`);
  return [
    LEDGER_RECORDS_KQL,
    `| where tostring(record.app) == "${app}" and tostring(record.step) in ("installation-saved", "installation-deleted")`,
    "| summarize arg_max(timestamp, step = tostring(record.step), partition = toint(record.partition)) by recipientTag = tostring(record.recipientTag)",
    "| project recipientTag, step, partition",
    `| take ${MAX_REBALANCE_USERS + 1}`,
  ].join("\n");
}

export interface UserPlacement {
  readonly recipientTag: string;
  readonly step: string;
  readonly partition: number;
}

export interface RebalanceReport {
  readonly app: string;
  readonly partitions: number;
  readonly growingFrom?: number;
  /** Users whose partition changes with the growth and whose installation is still in the old one. */
  readonly remaining: number;
  /** Users whose partition changes and whose installation is in the new one already. */
  readonly moved: number;
  /** Users whose partition does not change. */
  readonly unaffected: number;
  /** Remaining users by the partition they are still in. */
  readonly remainingByPartition: Readonly<Record<number, number>>;
  /** Users with an installation, by the partition their last save put it in (the hub's own count needs its Manage key). */
  readonly usersByPartition: Readonly<Record<number, number>>;
  /** True when more users exist than were read. */
  readonly truncated: boolean;
}

/** The counts, from each user's last registration step (deleted installations count for nothing). */
export function rebalanceReport(
  app: string,
  partitions: number,
  growingFrom: number | undefined,
  users: readonly UserPlacement[],
): RebalanceReport {
  const truncated = users.length > MAX_REBALANCE_USERS;
  let remaining = 0;
  let moved = 0;
  let unaffected = 0;
  const remainingByPartition: Record<number, number> = {};
  const usersByPartition: Record<number, number> = {};
  for (const user of users.slice(0, MAX_REBALANCE_USERS)) {
    if (user.step !== "installation-saved") continue;
    usersByPartition[user.partition] = (usersByPartition[user.partition] ?? 0) + 1;
    const now = partitionOf(user.recipientTag, partitions);
    const before = growingFrom === undefined ? now : partitionOf(user.recipientTag, growingFrom);
    if (before === now) unaffected++;
    else if (user.partition === now) moved++;
    else {
      remaining++;
      remainingByPartition[user.partition] = (remainingByPartition[user.partition] ?? 0) + 1;
    }
  }
  return { app, partitions, growingFrom, remaining, moved, unaffected, remainingByPartition, usersByPartition, truncated };
}

/** The rows of the answer (`recipientTag`, `step`, `partition`); an answer without them is unreadable. */
export function placementsFromAnswer(answer: QueryResults, host: string): UserPlacement[] {
  const { rows, column } = answerTable(answer, host, ["recipientTag", "step", "partition"]);
  return rows.flatMap((row) => {
    const partition = Number(row[column.partition]);
    const tag = row[column.recipientTag];
    if (typeof tag !== "string" || !Number.isInteger(partition) || partition < 0) return [];
    return [{ recipientTag: tag, step: String(row[column.step]), partition }];
  });
}

export async function rebalanceFromApplicationInsights(
  applicationInsightsId: string,
  app: { name: string; partitions: number; growingFrom?: number },
  options: TraceOptions = {},
): Promise<RebalanceReport> {
  const { answer, host } = await queryApplicationInsights(
    applicationInsightsId,
    rebalanceQuery(app.name),
    FRESHNESS_LOOKBACK_HOURS,
    options,
  );
  return rebalanceReport(app.name, app.partitions, app.growingFrom, placementsFromAnswer(answer, host));
}

export function renderRebalance(report: RebalanceReport): string {
  const perPartition = Array.from(
    { length: Math.max(report.partitions, report.growingFrom ?? 0) },
    (_, p) => `p${p} ${report.usersByPartition[p] ?? 0}`,
  ).join(", ");
  const spread = `  users with an installation, by partition (from the registration ledger): ${perPartition}`;
  if (report.growingFrom === undefined)
    return `App ${report.app} is not growing (${report.partitions} partition(s), no growingFrom): nothing to move.\n${spread}`;
  const by = Object.entries(report.remainingByPartition)
    .map(([p, n]) => `${n} in partition ${p}`)
    .join(", ");
  return [
    `App ${report.app}, growing from ${report.growingFrom} to ${report.partitions} partitions: ${report.remaining} user(s) still to move${by ? ` (${by})` : ""}, ${report.moved} moved, ${report.unaffected} staying where they are.`,
    report.remaining === 0
      ? "  Every user registered in the app has moved: remove growingFrom from the app and run pulumi up (the sender then reaches one partition per user)."
      : "  The push sender reaches both partitions of these users until then. They move when their app renews its installation (at every launch);\n  users who never renew keep stale tokens: once `doctor freshness` shows them past your window, removing growingFrom loses no live device.",
    spread,
    ...(report.truncated ? [`  Counted the first ${MAX_REBALANCE_USERS} users only: more exist.`] : []),
  ].join("\n");
}
