import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import type { AddressInfo } from "node:net";

export interface HubSend {
  readonly hub: string;
  readonly format: string;
  readonly tags: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

const tlsDir = path.join(__dirname, "..", "fixtures", "tls");
export const fakeHubCa = fs.readFileSync(path.join(tlsDir, "localhost-cert.pem"), "utf8");

/**
 * Notification Hubs' send endpoint on 127.0.0.1 over TLS (`POST /<hub>/messages/`), for the real
 * @azure/notification-hubs client. Answers 201 with a notification id, or queued failures.
 */
export class FakeNotificationHubs {
  readonly sends: HubSend[] = [];
  private readonly queued: number[] = [];
  private server?: https.Server;
  inFlight = 0;
  maxInFlight = 0;
  /** Delay before answering, to observe concurrency. */
  delayMs = 0;
  /** What a test send (`?test`) reports per registration. */
  testResults: { platform: string; handle: string; registrationId: string; outcome: string }[] = [];
  /** When set, test sends answer with this NotificationOutcome body as is (a published one). */
  testOutcomeXml?: string;

  failNext(...statuses: number[]): void {
    this.queued.push(...statuses);
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  connectionString(key = "c2VuZC1vbmx5LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ=="): string {
    return `Endpoint=sb://127.0.0.1:${this.port}/;SharedAccessKeyName=acs-send;SharedAccessKey=${key}`;
  }

  async start(): Promise<void> {
    const key = fs.readFileSync(path.join(tlsDir, "localhost-key.pem"));
    this.server = https.createServer({ key, cert: fakeHubCa, keepAlive: true }, (req, res) => {
      const chunks: Buffer[] = [];
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const finish = () => {
          this.inFlight--;
          const match = /^\/([^/]+)\/messages\/?$/.exec(new URL(req.url ?? "/", "https://x").pathname);
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
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
