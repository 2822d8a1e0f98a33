import { MetricAggregation, MetricRef } from "../../azure/pushMetrics";
import type { DoctorClients } from "./azureClients";

/**
 * Sums metrics of one resource over the window. Each metric is asked for with the aggregation
 * Azure supports for it (the catalogue says which) and read from that field: Application
 * Insights' request metrics have only `count`, so asking for `total` reads zero whatever happened.
 */
export async function sumMetrics(
  clients: DoctorClients,
  resourceUri: string,
  metrics: readonly MetricRef[],
  sinceHours: number,
  now: Date,
  filter?: string,
): Promise<Map<string, number>> {
  const start = new Date(now.getTime() - sinceHours * 3_600_000);
  const totals = new Map<string, number>();
  const byAggregation = new Map<MetricAggregation, string[]>();
  for (const m of metrics) byAggregation.set(m.aggregation, [...(byAggregation.get(m.aggregation) ?? []), m.name]);
  for (const [aggregation, names] of byAggregation) {
    // The client's URL template adds the leading slash itself.
    const response = await clients.monitor.metrics.list(resourceUri.replace(/^\//, ""), {
      metricnames: [...new Set(names)].join(","),
      timespan: `${start.toISOString()}/${now.toISOString()}`,
      interval: "PT1H",
      aggregation,
      filter,
    });
    const field = aggregation.toLowerCase() as "total" | "count" | "average" | "maximum" | "minimum";
    for (const metric of response.value) {
      const sum = metric.timeseries.flatMap((t) => t.data ?? []).reduce((acc, point) => acc + (point[field] ?? 0), 0);
      totals.set(metric.name.value, sum);
    }
  }
  return totals;
}
