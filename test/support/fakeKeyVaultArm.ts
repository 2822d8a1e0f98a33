import { armExample } from "./azureFixtures";
import { TlsFakeServer } from "./tlsFake";

// Azure's published shapes: a deleted vault (listDeletedVaults item) and the purge answers.
const PUBLISHED_DELETED = (
  armExample("keyvault/listDeletedVaults.json").responses["200"].body as { value: Record<string, unknown>[] }
).value[0];
const PUBLISHED_PURGE = armExample("keyvault/purgeDeletedVault.json");

/** ARM's Key Vault deleted-vault routes on 127.0.0.1: GET one deleted vault, POST purge (202 + Location), poll. */
export class FakeKeyVaultArm {
  readonly requests: { method: string; path: string; apiVersion: string | null }[] = [];
  /** The deleted vault ARM holds, as its properties; undefined = none. */
  deleted?: Record<string, unknown>;
  /** Polls of the purge's Location before it reports done. */
  purgePolls = 2;
  /** Answer the purge with the published Location header unchanged (another host). */
  publishedLocationAsIs = false;
  private polls = 0;
  private server?: TlsFakeServer;

  get endpoint(): string {
    return this.server!.endpoint;
  }

  async start(): Promise<void> {
    this.server = new TlsFakeServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "https://x");
        this.requests.push({ method: req.method ?? "", path: url.pathname, apiVersion: url.searchParams.get("api-version") });
        const deletedPath =
          /^\/subscriptions\/[^/]+\/providers\/Microsoft\.KeyVault\/locations\/([^/]+)\/deletedVaults\/([^/]+)(\/purge)?$/.exec(
            url.pathname,
          );
        if (deletedPath && req.method === "GET" && !deletedPath[3]) {
          if (!this.deleted)
            return void res
              .writeHead(404, { "content-type": "application/json" })
              .end(JSON.stringify({ error: { code: "ResourceNotFound", message: "not found" } }));
          return void res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
              ...PUBLISHED_DELETED,
              id: url.pathname,
              name: deletedPath[2],
              properties: { ...(PUBLISHED_DELETED.properties as object), location: deletedPath[1], ...this.deleted },
            }),
          );
        }
        if (deletedPath && req.method === "POST" && deletedPath[3]) {
          this.deleted = undefined;
          const published = PUBLISHED_PURGE.responses["202"].headers!.Location;
          // The published Location names a placeholder host; ARM names itself, so the path is kept on this endpoint.
          const location = this.publishedLocationAsIs
            ? published
            : `${this.endpoint}${new URL(published).pathname}${new URL(published).search}`;
          return void res.writeHead(202, { location }).end();
        }
        if (req.method === "GET" && /\/providers\/Microsoft\.KeyVault\/vaults\//.test(url.pathname)) {
          this.polls++;
          return void res.writeHead(this.polls >= this.purgePolls ? 200 : 202).end();
        }
        res.writeHead(404).end();
      });
    });
    await this.server.start();
  }

  reset(): void {
    this.requests.length = 0;
    this.deleted = undefined;
    this.polls = 0;
    this.publishedLocationAsIs = false;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
