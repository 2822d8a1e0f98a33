import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { Azurite, storageAccessToken } from "../support/azurite";
import { blobNameFor } from "../../function/src/deadLetter";
import { LOCALHOST_CERT_FILE } from "../support/tlsFake";

const ROOT = path.join(__dirname, "..", "..");
const CA = LOCALHOST_CERT_FILE;

/** The App Service managed-identity endpoint (IDENTITY_ENDPOINT), answering as App Service does. */
class FakeIdentityEndpoint {
  readonly requests: { resource: string | null; header: string | undefined }[] = [];
  audience = "https://storage.azure.com/";
  private server?: http.Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/msi/token`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      this.requests.push({ resource: url.searchParams.get("resource"), header: req.headers["x-identity-header"] as string });
      if (req.headers["x-identity-header"] !== "identity-header") return void res.writeHead(401).end();
      const expiresOn = Math.floor(Date.now() / 1000) + 3600;
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          access_token: storageAccessToken({ audience: this.audience }),
          expires_on: String(expiresOn),
          resource: url.searchParams.get("resource"),
          token_type: "Bearer",
        }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function storageRequest(method: string, url: string, token = storageAccessToken()): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: fs.readFileSync(CA),
        headers: { authorization: `Bearer ${token}`, "x-ms-version": "2023-11-03", "content-length": "0" },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

// Asynchronous: the identity endpoint the writer calls is served by this very process.
async function runWriter(env: Record<string, string>, records: { id: string; record: Record<string, unknown> }[]) {
  const { stdout: out } = await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, "scripts", "run-ts.js"), path.join(ROOT, "test", "support", "deadLetterDriver.ts")],
    {
      env: { PATH: process.env.PATH ?? "", NODE_EXTRA_CA_CERTS: CA, DEAD_LETTER_RECORDS: JSON.stringify(records), ...env },
      encoding: "utf8",
    },
  );
  return JSON.parse(out) as { ok: boolean; message?: string };
}

describe("dead-letter records in Azurite (the Azure Storage emulator, OAuth only)", () => {
  const azurite = new Azurite();
  const identity = new FakeIdentityEndpoint();
  let containerUrl = "";

  beforeAll(async () => {
    await Promise.all([azurite.start(), identity.start()]);
    containerUrl = `${azurite.endpoint}/dead-letter`;
    expect((await storageRequest("PUT", `${containerUrl}?restype=container`)).status).toBe(201);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([azurite.stop(), identity.stop()]);
  });

  const env = () => ({
    DEAD_LETTER_CONTAINER_URL: containerUrl,
    IDENTITY_ENDPOINT: identity.url,
    IDENTITY_HEADER: "identity-header",
  });

  it("writes each record as a JSON blob under push-sender/<day>/, with one managed-identity token for both", async () => {
    identity.requests.length = 0;
    const result = await runWriter(env(), [
      { id: "evt/1", record: { eventId: "evt/1", reason: "apple send failed with HTTP 400" } },
      { id: "evt-2", record: { eventId: "evt-2", reason: "malformed" } },
    ]);
    expect(result).toEqual({ ok: true });
    expect(identity.requests).toEqual([{ resource: "https://storage.azure.com/", header: "identity-header" }]);

    const day = new Date().toISOString().slice(0, 10);
    const list = await storageRequest("GET", `${containerUrl}?restype=container&comp=list&prefix=push-sender/`);
    expect(list.status).toBe(200);
    const names = [...list.body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]).sort();
    // An id that is not a plain name is hashed: Storage would turn an encoded "/" into a folder.
    expect(names).toEqual([`push-sender/${day}/${blobNameFor("evt/1")}.json`, `push-sender/${day}/evt-2.json`].sort());
    expect(blobNameFor("evt/1")).toMatch(/^id-[0-9a-f]{32}$/);
    const blob = await storageRequest("GET", `${containerUrl}/push-sender/${day}/evt-2.json`);
    expect(blob.status).toBe(200);
    expect(JSON.parse(blob.body)).toEqual({ eventId: "evt-2", reason: "malformed" });
  }, 30_000);

  it("reports storage refusing a token for the wrong audience, with the status and no token", async () => {
    identity.audience = "https://management.azure.com/";
    try {
      const result = await runWriter(env(), [{ id: "evt-3", record: { eventId: "evt-3" } }]);
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/^dead-letter write returned HTTP 403$/);
    } finally {
      identity.audience = "https://storage.azure.com/";
    }
  }, 30_000);

  it("says when no managed identity is available", async () => {
    const result = await runWriter({ DEAD_LETTER_CONTAINER_URL: containerUrl }, [{ id: "evt-4", record: {} }]);
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(/no managed identity endpoint \(IDENTITY_ENDPOINT \/ IDENTITY_HEADER\)/),
    });
  }, 30_000);
});
