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
      const tag = /recipientTag\) == "(user_[0-9a-f]{64})"/.exec(body.query ?? "")?.[1];
      const template = PUBLISHED.responses["200"].body.tables[0];
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

  /** A log sink for the sender and the registrar: every line is stored as Application Insights would. */
  log() {
    const store = (message: string) => void this.lines.push({ timestamp: new Date().toISOString(), message });
    return { info: store, warn: store, error: store };
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
