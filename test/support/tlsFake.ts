import * as fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

const tlsDir = path.join(__dirname, "..", "fixtures", "tls");

/** The certificate every local server here serves (localhost, 127.0.0.1), and its key: the fakes' and Azurite's. */
export const LOCALHOST_CERT_FILE = path.join(tlsDir, "localhost-cert.pem");
export const LOCALHOST_KEY_FILE = path.join(tlsDir, "localhost-key.pem");
/** That certificate's text: clients trust it as their CA. */
export const LOCALHOST_CA = fs.readFileSync(LOCALHOST_CERT_FILE, "utf8");
const LOCALHOST_KEY = fs.readFileSync(LOCALHOST_KEY_FILE);

/**
 * What every local HTTPS fake shares: a TLS server with the test certificate on 127.0.0.1 and a
 * free port, started and stopped by the fake that answers its requests.
 */
export class TlsFakeServer {
  private server?: https.Server;

  constructor(
    private readonly handler: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly options: Omit<https.ServerOptions, "key" | "cert"> = {},
  ) {}

  get endpoint(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get port(): number {
    if (!this.server) throw new Error("the fake is not started");
    return (this.server.address() as AddressInfo).port;
  }

  async start(): Promise<void> {
    this.server = https.createServer({ ...this.options, key: LOCALHOST_KEY, cert: LOCALHOST_CA }, this.handler);
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  /** Closes the server; open keep-alive connections are closed too, so a test ends at once. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
