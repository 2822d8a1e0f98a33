import { TlsFakeServer } from "./tlsFake";

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
 * the deployment status it can be polled for, as Azure/functions-action's Kudu client expects
 * them: a 202 carries the new deployment's id in its body, polled at `/api/deployments/{id}`.
 * `/api/deployments/latest` answers with the *previous* deployment, already successful, as it
 * can on a real site right after a publish. `publishStatus` picks how publish answers.
 */
export class FakeScm {
  readonly requests: ScmRequest[] = [];
  readonly queued: number[] = [];
  /** 200: done at once; 202: accepted, then `pollsUntilDone` polls before `finalStatus` (Kudu states: 4 success, 3 failed, -1 cancelled, 5 conflict, 6 partial success). */
  publishStatus = 200;
  pollsUntilDone = 2;
  finalStatus = 4;
  /** How the 202 names the deployment: its id in the body (Kudu's way), a Location header, or nothing. */
  acceptedWith: "body" | "quoted-body" | "location" | "nothing" = "body";
  /** Publishes answered 403 before one is allowed, as while a new role assignment propagates. */
  forbiddenPublishes = 0;
  /** Answers to the next status polls before the normal ones: an HTTP status, or a 200 whose body is not JSON. */
  readonly pollAnswers: (number | "not-json")[] = [];
  readonly deploymentId = "c2f1b0a4-7d8e-4b1a-9a55-0e6d2b0f3c11";
  private polls = 0;
  private server?: TlsFakeServer;

  get endpoint(): string {
    return this.server!.endpoint;
  }

  reset(): void {
    this.requests.length = 0;
    this.queued.length = 0;
    this.publishStatus = 200;
    this.pollsUntilDone = 2;
    this.finalStatus = 4;
    this.acceptedWith = "body";
    this.forbiddenPublishes = 0;
    this.pollAnswers.length = 0;
    this.polls = 0;
  }

  async start(): Promise<void> {
    this.server = new TlsFakeServer((req, res) => {
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
          if (this.forbiddenPublishes > 0) {
            this.forbiddenPublishes--;
            return void res.writeHead(403).end("Forbidden");
          }
          if (this.publishStatus === 202) {
            const byId = `${this.endpoint}/api/deployments/${this.deploymentId}`;
            if (this.acceptedWith === "body") return void res.writeHead(202).end(this.deploymentId);
            if (this.acceptedWith === "quoted-body") return void res.writeHead(202).end(JSON.stringify(this.deploymentId));
            if (this.acceptedWith === "location") return void res.writeHead(202, { location: byId }).end();
            return void res.writeHead(202).end();
          }
          return void res.writeHead(this.publishStatus).end();
        }
        if (req.method === "GET" && url.pathname === "/api/deployments/latest") {
          // The previous deployment: finished long ago.
          return void res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ id: "previous", status: 4, status_text: "" }));
        }
        if (req.method === "GET" && url.pathname === `/api/deployments/${this.deploymentId}`) {
          const scripted = this.pollAnswers.shift();
          if (scripted === "not-json")
            return void res.writeHead(200, { "content-type": "application/json" }).end("<html>busy</html>");
          if (scripted !== undefined) return void res.writeHead(scripted).end("poll failure");
          this.polls++;
          const status = this.polls >= this.pollsUntilDone ? this.finalStatus : 1;
          return void res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ id: this.deploymentId, status, status_text: status === 4 ? "" : "npm start failed" }));
        }
        res.writeHead(404).end();
      });
    });
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
