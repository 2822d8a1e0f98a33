import * as fs from "node:fs";
import * as path from "node:path";
import { TlsFakeServer } from "./tlsFake";

/** Azure's published answer to a resource-centric query: the shape every answer here takes. */
const PUBLISHED = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "fixtures", "azure", "logs", "la-post-resource-centric-example.json"), "utf8"),
) as {
  parameters: { body: { query: string; timespan: string } };
  responses: { "200": { body: { tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[] } } };
};

export interface LoggedLine {
  readonly timestamp: string;
  readonly message: string;
}

/**
 * Azure Monitor's query API on 127.0.0.1 (`POST /v1/{resourceId}/query`, Entra bearer token) over
 * the `traces` lines a test stored. It cannot run KQL: it answers the one query `doctor trace` sends
 * by the tag that query names — the rows with that tag in their message — in the published
 * answer's shape (`tables[0]` named PrimaryResult, `columns`, `rows`).
 */
export class FakeLogs {
  readonly lines: LoggedLine[] = [];
  readonly requests: { path: string; authorization?: string; body: { query?: string; timespan?: string } }[] = [];
  /** When set, every query is answered with this status. */
  failWith?: number;
  private server = new TlsFakeServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}") as { query?: string; timespan?: string };
      this.requests.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
      if (!req.headers.authorization?.startsWith("Bearer ")) return void res.writeHead(401).end();
      if (this.failWith) return void res.writeHead(this.failWith).end();
      if (req.method !== "POST" || !/^\/v1\/subscriptions\/.+\/query$/.test(req.url ?? "")) return void res.writeHead(404).end();
      const template = PUBLISHED.responses["200"].body.tables[0];
      const freshnessWindow = /countif\(lastSaved < ago\((\d+)h\)\)/.exec(body.query ?? "")?.[1];
      if (freshnessWindow) {
        const answer = { tables: [{ name: template.name, ...this.freshness(Number(freshnessWindow)) }] };
        return void res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(answer));
      }
      const tag = /recipientTag\) == "(user_[0-9a-f]{64})"/.exec(body.query ?? "")?.[1];
      const answer = {
        tables: [
          {
            name: template.name,
            columns: [
              { name: "timestamp", type: "datetime" },
              { name: "message", type: "string" },
            ],
            rows: this.lines
              .filter((l) => tag && l.message.includes(`"recipientTag":"${tag}"`))
              .map((l) => [l.timestamp, l.message]),
          },
        ],
      };
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(answer));
    });
  });

  get endpoint(): string {
    return this.server.endpoint;
  }

  /** A log sink for the sender and the registrar: every line is stored as Application Insights would, at `at` (default now). */
  log(at?: Date) {
    const store = (message: string) => void this.lines.push({ timestamp: (at ?? new Date()).toISOString(), message });
    return { info: store, warn: store, error: store };
  }

  /**
   * What `doctor freshness`'s query computes, over the stored lines: per app (empty for records that
   * name none) and platform, users and those last saved before the window.
   */
  private freshness(windowHours: number) {
    const lastSaved = new Map<string, { app: string; platform: string; at: string }>();
    for (const line of this.lines) {
      const record = /"step":"installation-saved"/.test(line.message)
        ? (JSON.parse(line.message.slice(line.message.indexOf("{"))) as { recipientTag: string; platform: string; app?: string })
        : undefined;
      if (!record) continue;
      const app = record.app ?? "";
      const key = `${record.recipientTag}|${app}|${record.platform}`;
      const seen = lastSaved.get(key);
      if (!seen || seen.at < line.timestamp) lastSaved.set(key, { app, platform: record.platform, at: line.timestamp });
    }
    const cutoff = new Date(Date.now() - windowHours * 3_600_000).toISOString();
    const byGroup = new Map<string, [string, string, number, number]>();
    for (const { app, platform, at } of lastSaved.values()) {
      const [, , total, stale] = byGroup.get(`${app}|${platform}`) ?? [app, platform, 0, 0];
      byGroup.set(`${app}|${platform}`, [app, platform, total + 1, stale + (at < cutoff ? 1 : 0)]);
    }
    return {
      columns: [
        { name: "app", type: "string" },
        { name: "platform", type: "string" },
        { name: "installations", type: "long" },
        { name: "stale", type: "long" },
      ],
      // Counts as strings, as Azure's published answer gives its long column.
      rows: [...byGroup.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, [app, platform, total, stale]]) => [app, platform, String(total), String(stale)]),
    };
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
