import * as net from "node:net";

/**
 * A server that accepts connections and never says a word: not even the TLS handshake. What a
 * hung proxy, a black-holed firewall rule or a stuck endpoint looks like to a client.
 */
export class SilentListener {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  get endpoint(): string {
    return `https://127.0.0.1:${(this.server!.address() as net.AddressInfo).port}`;
  }

  get host(): string {
    return new URL(this.endpoint).host;
  }

  async start(): Promise<void> {
    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
