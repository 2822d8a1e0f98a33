import * as fs from "node:fs";
import * as path from "node:path";

/** One row of Azure's published supported-metrics table. */
export interface PublishedMetric {
  readonly name: string;
  readonly unit: string;
  readonly aggregations: readonly string[];
  readonly dimensions: readonly string[];
}

const DIR = path.join(__dirname, "..", "fixtures", "azure", "metrics");
const FILES: Record<string, string> = {
  "microsoft.notificationhubs/namespaces/notificationhubs": "microsoft-notificationhubs-namespaces-notificationhubs.md",
  "microsoft.eventgrid/systemtopics": "microsoft-eventgrid-systemtopics.md",
  "microsoft.insights/components": "microsoft-insights-components.md",
};

/** Reads a supported-metrics table: the columns are found by their headings, as the tables differ. */
function parseTable(text: string): Map<string, PublishedMetric> {
  const rows = text
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const [header, , ...body] = rows;
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const [nameCol, unitCol, aggCol, dimCol] = [
    col("Name in REST API", "Name"),
    col("Unit"),
    col("Aggregation"),
    col("Dimensions"),
  ];
  const metrics = new Map<string, PublishedMetric>();
  for (const row of body) {
    const name = row[nameCol].replace(/`/g, "");
    const dims = row[dimCol].replace(/`|\\/g, "");
    metrics.set(name, {
      name,
      unit: row[unitCol],
      aggregations: row[aggCol].split(",").map((a) => a.trim()),
      dimensions: /^(<none>|No Dimensions)$/.test(dims) ? [] : dims.split(",").map((d) => d.trim()),
    });
  }
  return metrics;
}

const cache = new Map<string, Map<string, PublishedMetric>>();

/** The published metrics of a resource type (its metric namespace, any case); undefined when no table is kept. */
export function publishedMetrics(namespace: string): Map<string, PublishedMetric> | undefined {
  const key = namespace.toLowerCase();
  const file = FILES[key];
  if (!file) return undefined;
  if (!cache.has(key)) cache.set(key, parseTable(fs.readFileSync(path.join(DIR, file), "utf8")));
  return cache.get(key);
}

/** The resource type of an ARM id, for the resource types whose tables are kept. */
export function metricNamespaceOf(resourceId: string): string | undefined {
  if (/\/providers\/Microsoft\.NotificationHubs\/namespaces\/[^/]+\/notificationHubs\/[^/]+$/i.test(resourceId))
    return "Microsoft.NotificationHubs/namespaces/notificationHubs";
  if (/\/providers\/Microsoft\.EventGrid\/systemTopics\/[^/]+$/i.test(resourceId)) return "Microsoft.EventGrid/systemTopics";
  if (/\/providers\/Microsoft\.Insights\/components\/[^/]+$/i.test(resourceId)) return "microsoft.insights/components";
  return undefined;
}
