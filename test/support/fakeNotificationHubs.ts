import { TlsFakeServer } from "./tlsFake";
import { publishedNotificationDetails } from "./azureFixtures";

export interface HubSend {
  readonly hub: string;
  readonly format: string;
  readonly tags: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

export interface StoredInstallation {
  readonly installationId: string;
  readonly platform: string;
  readonly pushChannel: string;
  readonly tags: string[];
  readonly authorization: string;
}

/**
 * Notification Hubs on 127.0.0.1 over TLS, for the real @azure/notification-hubs client: sends
 * (`POST /<hub>/messages/`, 201 with a notification id, or queued failures) and installations
 * (`PUT|DELETE /<hub>/installations/<id>`, 200 / 204, as the SDK expects). A test send with no
 * scripted outcome reports one result per stored installation whose tags match the send's tag.
 */
export class FakeNotificationHubs {
  readonly sends: HubSend[] = [];
  private readonly queued: number[] = [];
  private server?: TlsFakeServer;
  inFlight = 0;
  maxInFlight = 0;
  /** Delay before answering, to observe concurrency. */
  delayMs = 0;
  /** What a test send (`?test`) reports per registration. */
  testResults: { platform: string; handle: string; registrationId: string; outcome: string }[] = [];
  /** Installations by id, as the installation API stored them. */
  readonly installations = new Map<string, StoredInstallation>();
  /** When set, test sends answer with this NotificationOutcome body as is (a published one). */
  testOutcomeXml?: string;
  /**
   * Per-message telemetry (`GET /<hub>/messages/<id>`, Standard tier): what Apple or Google did
   * with each accepted notification, by notification id, in Azure's published shape. A send takes
   * `nextOutcome` (default: one Success); `pending` answers state Enqueued that many more times.
   */
  readonly outcomes = new Map<string, { platform: "apns" | "fcmv1"; counts?: Record<string, number>; pending: number }>();
  /** Undefined: the published sample's own counts. */
  nextOutcome: Record<string, number> | undefined = { Success: 1 };
  nextOutcomePending = 0;
  /** Status answered to every telemetry read instead (403: a Free or Basic hub; 401: a key without the right). */
  telemetryStatus?: number;

  failNext(...statuses: number[]): void {
    this.queued.push(...statuses);
  }

  get port(): number {
    return this.server!.port;
  }

  connectionString(key = "c2VuZC1vbmx5LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ=="): string {
    return `Endpoint=sb://127.0.0.1:${this.port}/;SharedAccessKeyName=acs-send;SharedAccessKey=${key}`;
  }

  async start(): Promise<void> {
    this.server = new TlsFakeServer(
      (req, res) => {
        const chunks: Buffer[] = [];
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const finish = () => {
            this.inFlight--;
            const pathname = new URL(req.url ?? "/", "https://x").pathname;
            const installation = /^\/([^/]+)\/installations\/([^/]+)$/.exec(pathname);
            if (installation)
              return this.installationRoute(
                req.method ?? "",
                decodeURIComponent(installation[2]),
                req.headers,
                Buffer.concat(chunks).toString("utf8"),
                res,
              );
            const telemetry = /^\/([^/]+)\/messages\/([^/]+)$/.exec(pathname);
            if (telemetry && req.method === "GET") return this.telemetryRoute(decodeURIComponent(telemetry[2]), req.headers, res);
            const match = /^\/([^/]+)\/messages\/?$/.exec(pathname);
            const status = this.queued.shift() ?? 201;
            if (!match || !String(req.headers.authorization ?? "").startsWith("SharedAccessSignature ")) {
              res.writeHead(401).end();
              return;
            }
            const raw = Buffer.concat(chunks).toString("utf8");
            if (status === 201 && new URL(req.url ?? "/", "https://x").searchParams.has("test")) {
              this.sends.push({
                hub: match[1],
                format: String(req.headers["servicebusnotification-format"]),
                tags: String(req.headers["servicebusnotification-tags"] ?? ""),
                headers: req.headers,
                body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
              });
              if (this.testOutcomeXml !== undefined) {
                res.writeHead(201, { "content-type": "application/xml; charset=utf-8" });
                return void res.end(this.testOutcomeXml);
              }
              if (this.testResults.length === 0 && this.installations.size > 0) {
                // Outcomes of the installations the tag reaches, on the platform sent to.
                const format = String(req.headers["servicebusnotification-format"]);
                const tag = String(req.headers["servicebusnotification-tags"] ?? "");
                const platformOf: Record<string, string> = { apns: "apple", fcmv1: "fcmv1" };
                const reached = [...this.installations.values()].filter(
                  (i) => platformOf[i.platform] === format && i.tags.includes(tag),
                );
                const results = reached
                  .map(
                    (i) =>
                      `<RegistrationResult><ApplicationPlatform>${format}</ApplicationPlatform><PnsHandle>${i.pushChannel}</PnsHandle><RegistrationId>${i.installationId}</RegistrationId><Outcome>The Notification was successfully sent to the Push Notification System</Outcome></RegistrationResult>`,
                  )
                  .join("");
                res.writeHead(201, { "content-type": "application/xml; charset=utf-8" });
                return void res.end(
                  `<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Success>${reached.length}</Success><Failure>0</Failure><Results>${results}</Results></NotificationOutcome>`,
                );
              }
              const mine = this.testResults.filter((r) => r.platform === String(req.headers["servicebusnotification-format"]));
              const ok = mine.filter(
                (r) => r.outcome === "The Notification was successfully sent to the Push Notification System",
              ).length;
              const results = mine
                .map(
                  (r) =>
                    `<RegistrationResult><ApplicationPlatform>${r.platform}</ApplicationPlatform><PnsHandle>${r.handle}</PnsHandle><RegistrationId>${r.registrationId}</RegistrationId><Outcome>${r.outcome}</Outcome></RegistrationResult>`,
                )
                .join("");
              res.writeHead(201, { "content-type": "application/xml; charset=utf-8" });
              res.end(
                `<NotificationOutcome xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Success>${ok}</Success><Failure>${mine.length - ok}</Failure><Results>${results}</Results></NotificationOutcome>`,
              );
            } else if (status === 201) {
              this.sends.push({
                hub: match[1],
                format: String(req.headers["servicebusnotification-format"]),
                tags: String(req.headers["servicebusnotification-tags"] ?? ""),
                headers: req.headers,
                body: JSON.parse(raw),
              });
              const id = `${this.sends.length}`.padStart(6, "0");
              this.outcomes.set(id, {
                platform: String(req.headers["servicebusnotification-format"]) === "apple" ? "apns" : "fcmv1",
                counts: this.nextOutcome,
                pending: this.nextOutcomePending,
              });
              res.writeHead(201, {
                location: `https://127.0.0.1:${this.port}/${match[1]}/messages/${id}?api-version=2020-06`,
                trackingid: id,
              });
              res.end();
            } else {
              res.writeHead(status, status === 429 ? { "retry-after": "0" } : {});
              res.end(`<Error><Code>${status}</Code><Detail>fake failure</Detail></Error>`);
            }
          };
          if (this.delayMs > 0) setTimeout(finish, this.delayMs);
          else finish();
        });
      },
      { keepAlive: true },
    );
    await this.server.start();
  }

  private telemetryRoute(
    id: string,
    headers: Record<string, string | string[] | undefined>,
    res: import("node:http").ServerResponse,
  ): void {
    if (!String(headers.authorization ?? "").startsWith("SharedAccessSignature ")) return void res.writeHead(401).end();
    if (this.telemetryStatus)
      return void res.writeHead(this.telemetryStatus).end(`<Error><Code>${this.telemetryStatus}</Code></Error>`);
    const outcome = this.outcomes.get(id);
    if (!outcome) return void res.writeHead(404).end("<Error><Code>404</Code><Detail>message not found</Detail></Error>");
    const pending = outcome.pending > 0;
    if (pending) outcome.pending--;
    res.writeHead(200, { "content-type": "application/xml; charset=utf-8" });
    res.end(publishedNotificationDetails(outcome.platform, id, pending ? { state: "Enqueued" } : { outcomes: outcome.counts }));
  }

  private installationRoute(
    method: string,
    id: string,
    headers: Record<string, string | string[] | undefined>,
    raw: string,
    res: import("node:http").ServerResponse,
  ): void {
    const authorization = String(headers.authorization ?? "");
    if (!authorization.startsWith("SharedAccessSignature ")) return void res.writeHead(401).end();
    const forced = this.queued.shift();
    if (forced)
      return void res
        .writeHead(forced, forced === 429 ? { "retry-after": "0" } : {})
        .end(`<Error><Code>${forced}</Code></Error>`);
    if (method === "DELETE") {
      this.installations.delete(id);
      return void res.writeHead(204).end();
    }
    if (method !== "PUT") return void res.writeHead(405).end();
    let body: { installationId?: string; platform?: string; pushChannel?: string; tags?: string[] };
    try {
      body = JSON.parse(raw);
    } catch {
      return void res.writeHead(400).end("<Error><Code>400</Code><Detail>Invalid JSON</Detail></Error>");
    }
    // What the service requires of an installation: its id matching the URL, a known platform, a channel.
    if (
      body.installationId !== id ||
      !["apns", "fcmv1", "gcm", "wns", "adm", "baidu", "browser", "xiaomi"].includes(body.platform ?? "") ||
      !body.pushChannel
    )
      return void res.writeHead(400).end("<Error><Code>400</Code><Detail>Invalid installation</Detail></Error>");
    this.installations.set(id, {
      installationId: id,
      platform: body.platform!,
      pushChannel: body.pushChannel,
      tags: body.tags ?? [],
      authorization,
    });
    res.writeHead(200, { trackingid: `install-${this.installations.size}` }).end();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
