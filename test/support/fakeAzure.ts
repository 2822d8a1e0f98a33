import { armExample } from "./azureFixtures";
import { metricNamespaceOf, publishedMetrics } from "./publishedMetrics";
import { TlsFakeServer } from "./tlsFake";

export interface FakeRule {
  rights: string[];
  primaryConnectionString: string;
}

// Every answer is derived from Azure's published examples (test/fixtures/azure, SOURCES.md).
const published = <T>(file: string) => armExample(file).responses["200"].body as T;
type Json = Record<string, unknown>;
const ACS_GET = published<Json & { properties: Json }>("communication/get.json");
const HUB_GET = published<Json & { properties: Json }>("notificationhubs/Get.json");
const PNS_GET = published<Json>("notificationhubs/PnsCredentialsGet.json");
const RULE_ITEM = published<{ value: (Json & { properties: Json })[] }>("notificationhubs/AuthorizationRuleList.json").value[0];
const LIST_KEYS = published<Json>("notificationhubs/AuthorizationRuleListKeys.json");
const SYSTEM_TOPIC_ITEM = published<{ value: (Json & { properties: Json })[] }>("eventgrid/SystemTopics_ListBySubscription.json")
  .value[0];
const KV_REFERENCE = published<{ properties: Json }>("web/GetKeyVaultReferencesForAppSetting.json");
const METRICS = published<Json & { value: (Json & { timeseries: { data: Json[] }[] })[] }>("monitor/GetMetric.trimmed.json");

/**
 * ARM and Azure Monitor on 127.0.0.1 over TLS, for the doctor's real SDK clients: the ACS resource
 * (with its linked hub), the hub, its PNS credentials and access rules, and metrics per resource.
 * Tests change this state to produce each troubleshooting case.
 */
export class FakeAzure {
  acsExists = true;
  linkedHubId = "";
  hubExists = true;
  pns: Record<string, Record<string, string>> = {};
  rules: Record<string, FakeRule> = {};
  /** resource id (lower case) → metric name → total over the window. */
  metrics: Record<string, Record<string, number>> = {};
  /** Functions the push-sender app's host indexed. */
  functions: { name: string; isDisabled?: boolean }[] = [];
  /** KeyVaultReferenceStatus per app setting of the push-sender app. */
  keyVaultReferences: Record<string, string> = {};
  /** Event Grid system topics in the subscription: id and source. */
  systemTopics: { id: string; source: string }[] = [];
  /** Paths (regex) answered with this status instead. */
  failures: { path: RegExp; status: number; code: string }[] = [];
  /** Paths (regex) answered 200 with a page that is not JSON (a proxy's login page, say). */
  notJson: RegExp[] = [];
  readonly requests: { method: string; path: string; query: URLSearchParams }[] = [];
  private server?: TlsFakeServer;

  get endpoint(): string {
    return this.server!.endpoint;
  }

  async start(): Promise<void> {
    this.server = new TlsFakeServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "https://x");
        this.requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams });
        const reply = (status: number, body?: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(body === undefined ? "" : JSON.stringify(body));
        };
        if (this.notJson.some((path) => path.test(url.pathname))) {
          res.writeHead(200, { "content-type": "text/html" });
          return res.end("<html><body>Sign in to continue</body></html>");
        }
        const forced = this.failures.find((f) => f.path.test(url.pathname));
        if (forced)
          return reply(forced.status, { error: { code: forced.code, message: "RAW-AZURE-TEXT with internal details" } });
        if (!req.headers.authorization?.startsWith("Bearer "))
          return reply(401, { error: { code: "AuthenticationFailed", message: "no token" } });
        const p = url.pathname;
        const notFound = () => reply(404, { error: { code: "ResourceNotFound", message: "not found" } });
        let m: RegExpExecArray | null;
        if ((m = /\/providers\/Microsoft\.Insights\/metrics$/i.exec(p))) {
          const resource = p.slice(0, -"/providers/Microsoft.Insights/metrics".length).toLowerCase();
          const names = (url.searchParams.get("metricnames") ?? "").split(",").filter(Boolean);
          const values = this.metrics[resource] ?? {};
          // Azure Monitor knows each resource type's metrics (the published tables): an unknown name is a
          // 400, and a data point carries a value only for the aggregations asked for that the metric supports.
          const table = publishedMetrics(metricNamespaceOf(resource) ?? "");
          const unknownName = table && names.find((n) => !table.has(n));
          if (unknownName)
            return reply(400, {
              error: { code: "BadRequest", message: `Failed to find metric configuration for provider, metric: ${unknownName}` },
            });
          const aggregations = (url.searchParams.get("aggregation") ?? "average")
            .split(",")
            .map((a) => a.trim().toLowerCase())
            .filter(Boolean);
          const supported = (name: string) =>
            aggregations.filter((a) => !table || table.get(name)!.aggregations.some((s) => s.toLowerCase() === a));
          const sample = METRICS.value[0];
          return reply(200, {
            ...METRICS,
            timespan: url.searchParams.get("timespan"),
            namespace: url.searchParams.get("metricnamespace") ?? METRICS.namespace,
            value: names.map((name) => ({
              ...sample,
              id: `${resource}/providers/Microsoft.Insights/metrics/${name}`,
              name: { value: name, localizedValue: name },
              timeseries: [
                {
                  metadatavalues: [],
                  data: [
                    {
                      timeStamp: "2026-11-27T10:00:00Z",
                      ...Object.fromEntries(supported(name).map((a) => [a, values[name] ?? 0])),
                    },
                  ],
                },
              ],
            })),
          });
        }
        if (/^\/subscriptions\/[^/]+\/providers\/Microsoft\.EventGrid\/systemTopics$/i.test(p)) {
          // Published list item per topic; Event Grid reports `source` lower-cased, as its example shows.
          return reply(200, {
            value: this.systemTopics.map((t) => ({
              ...SYSTEM_TOPIC_ITEM,
              id: t.id,
              name: t.id.split("/").pop(),
              properties: {
                ...SYSTEM_TOPIC_ITEM.properties,
                source: t.source.toLowerCase(),
                topicType: "microsoft.communication.communicationservices",
              },
            })),
          });
        }
        if ((m = /^(.*\/providers\/Microsoft\.Web\/sites\/([^/]+))\/functions$/i.exec(p))) {
          // FunctionEnvelope fields from the REST spec (no published example lists functions).
          const app = m[2];
          return reply(200, {
            value: this.functions.map((f) => ({
              id: `${m![1]}/functions/${f.name}`,
              name: `${app}/${f.name}`,
              type: "Microsoft.Web/sites/functions",
              properties: { name: f.name, isDisabled: f.isDisabled ?? false, language: "node" },
            })),
          });
        }
        if ((m = /\/providers\/Microsoft\.Web\/sites\/[^/]+\/config\/configreferences\/appsettings\/([^/]+)$/i.exec(p))) {
          const status = this.keyVaultReferences[m[1]];
          if (!status) return notFound();
          // Azure's published example, with the status the test chose.
          return reply(200, {
            ...KV_REFERENCE,
            properties: {
              ...KV_REFERENCE.properties,
              secretName: "notification-hub-send",
              secretVersion: "0123456789abcdef0123456789abcdef",
              status,
            },
          });
        }
        if (/\/providers\/Microsoft\.Communication\/communicationServices\/[^/]+$/i.test(p)) {
          if (!this.acsExists) return notFound();
          return reply(200, {
            ...ACS_GET,
            id: p,
            name: p.split("/").pop(),
            properties: { ...ACS_GET.properties, ...(this.linkedHubId ? { notificationHubId: this.linkedHubId } : {}) },
          });
        }
        const hubMatch = /\/providers\/Microsoft\.NotificationHubs\/namespaces\/[^/]+\/notificationHubs\/[^/]+/i.exec(p);
        const hubPath = hubMatch ? p.slice(0, hubMatch.index + hubMatch[0].length) : undefined;
        if (hubPath) {
          if (!this.hubExists) return notFound();
          const rest = p.slice(hubPath.length);
          const hubName = hubPath.split("/").pop();
          if (rest === "")
            return reply(200, { ...HUB_GET, id: hubPath, name: hubName, properties: { ...HUB_GET.properties, name: hubName } });
          if (/^\/pnsCredentials$/i.test(rest)) {
            // The published example's envelope, holding the credentials this test configured.
            return reply(200, {
              ...PNS_GET,
              id: hubPath,
              name: hubName,
              properties: Object.fromEntries(Object.entries(this.pns).map(([k, v]) => [k, { properties: v }])),
            });
          }
          if (/^\/AuthorizationRules$/i.test(rest)) {
            return reply(200, {
              value: Object.entries(this.rules).map(([name, r]) => ({
                ...RULE_ITEM,
                id: `${hubPath}/authorizationRules/${name}`,
                name,
                properties: { ...RULE_ITEM.properties, rights: r.rights },
              })),
            });
          }
          if ((m = /^\/AuthorizationRules\/([^/]+)(\/listKeys)?$/i.exec(rest))) {
            const rule = this.rules[m[1]];
            if (!rule) return notFound();
            if (m[2])
              return reply(200, {
                ...LIST_KEYS,
                keyName: m[1],
                primaryConnectionString: rule.primaryConnectionString,
                secondaryConnectionString: rule.primaryConnectionString,
              });
            return reply(200, {
              ...RULE_ITEM,
              id: `${hubPath}/authorizationRules/${m[1]}`,
              name: m[1],
              properties: { ...RULE_ITEM.properties, rights: rule.rights },
            });
          }
        }
        return reply(404, { error: { code: "NoRoute", message: `${req.method} ${p}` } });
      });
    });
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
