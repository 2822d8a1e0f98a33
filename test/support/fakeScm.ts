import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import type { AddressInfo } from "node:net";

const tlsDir = path.join(__dirname, "..", "fixtures", "tls");
export const fakeScmCa = fs.readFileSync(path.join(tlsDir, "localhost-cert.pem"), "utf8");

export interface ScmRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authorization?: string;
  readonly contentType?: string;
  readonly body: Buffer;
}

/**
 * A Function App's SCM (Kudu) site on 127.0.0.1 over TLS: OneDeploy's `POST /api/publish` and
 * the deployment status it can be polled for. `publishStatus` picks how publish answers.
 */
export class FakeScm {
  readonly requests: ScmRequest[] = [];
  readonly queued: number[] = [];
  /** 200: done at once; 202: accepted, then `pollsUntilDone` polls before `finalStatus` (4 success, 3 failed). */
  publishStatus = 200;
  pollsUntilDone = 2;
  finalStatus = 4;
  private polls = 0;
  private server?: https.Server;

  get endpoint(): string {
    return `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.requests.length = 0;
    this.queued.length = 0;
    this.publishStatus = 200;
    this.pollsUntilDone = 2;
    this.finalStatus = 4;
    this.polls = 0;
  }

  async start(): Promise<void> {
    const key = fs.readFileSync(path.join(tlsDir, "localhost-key.pem"));
    this.server = https.createServer({ key, cert: fakeScmCa }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "https://x");
        this.requests.push({
          method: req.method ?? "",
          path: url.pathname,
          query: url.search,
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          body: Buffer.concat(chunks),
        });
        const forced = this.queued.shift();
        if (forced) return void res.writeHead(forced, forced === 429 ? { "retry-after": "0" } : {}).end("fake failure");
        if (!req.headers.authorization?.startsWith("Bearer ")) return void res.writeHead(401).end();
        if (req.method === "POST" && url.pathname === "/api/publish") {
          if (this.publishStatus === 202)
            return void res.writeHead(202, { location: `${this.endpoint}/api/deployments/latest` }).end();
          return void res.writeHead(this.publishStatus).end();
        }
        if (req.method === "GET" && url.pathname === "/api/deployments/latest") {
          this.polls++;
          const status = this.polls >= this.pollsUntilDone ? this.finalStatus : 1;
          return void res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ status, status_text: status === 3 ? "npm start failed" : "" }));
        }
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
