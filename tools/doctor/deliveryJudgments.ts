import { APP_INSIGHTS_METRICS, SYSTEM_TOPIC_METRICS } from "../../azure/pushMetrics";
import { CheckResult, verdict } from "./catalogue";

/* Judging the Event Grid path: pure functions from metric totals to a verdict (checks.ts gathers the totals). */

/** Event Grid's deliveries to the push sender: what was lost, what is being retried. */
export function judgeEventDelivery(totals: ReadonlyMap<string, number>, sinceHours: number): CheckResult {
  const [ok, failed, dead, dropped] = [
    SYSTEM_TOPIC_METRICS.delivered,
    SYSTEM_TOPIC_METRICS.failedAttempts,
    SYSTEM_TOPIC_METRICS.deadLettered,
    SYSTEM_TOPIC_METRICS.dropped,
  ].map((m) => totals.get(m.name) ?? 0);
  const evidence = `last ${sinceHours}h: ${ok} delivered, ${failed} failed attempts, ${dead} dead-lettered, ${dropped} dropped`;
  if (dead + dropped > 0)
    return verdict(
      "event-delivery",
      "fail",
      evidence,
      "read the dead-letter container (deadLetterStorageAccount) and the function's logs",
    );
  if (failed > 0)
    return verdict("event-delivery", "warn", evidence, "Event Grid is retrying: the function failed or was throttled");
  return verdict("event-delivery", "pass", evidence);
}

/** The push sender's invocations as Application Insights counts them. */
export function judgeInvocations(totals: ReadonlyMap<string, number>, sinceHours: number): CheckResult {
  const count = totals.get(APP_INSIGHTS_METRICS.requests.name) ?? 0;
  const failed = totals.get(APP_INSIGHTS_METRICS.failedRequests.name) ?? 0;
  const evidence = `last ${sinceHours}h: ${count} invocations, ${failed} failed`;
  return failed > 0
    ? verdict(
        "function-failures",
        "warn",
        evidence,
        "failed invocations are retried by Event Grid; see Application Insights for the event ids and reasons",
      )
    : verdict("function-failures", "pass", evidence);
}
