import { createHash } from "node:crypto";
import type { DeadLetterSink } from "./pushSender";

/**
 * The blob name for an event id. Event Grid ids are GUIDs, but an id is only a string: Storage
 * decodes `%2F` back into a folder separator, so anything beyond a safe set is hashed instead.
 * The record itself keeps the id as it came.
 */
export function blobNameFor(eventId: string): string {
  return /^[A-Za-z0-9._-]{1,200}$/.test(eventId) && !/^\.+$/.test(eventId)
    ? eventId
    : `id-${createHash("sha256").update(eventId).digest("hex").slice(0, 32)}`;
}

/**
 * Writes a record of an undeliverable event to the dead-letter blob container with the app's
 * managed identity (no storage key exists to leak). Event Grid dead-letters what it cannot
 * deliver; this covers what was delivered but cannot be pushed, in the same place.
 */
export class BlobDeadLetter implements DeadLetterSink {
  private token?: { value: string; expiresAt: number };

  constructor(
    private readonly containerUrl: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly fetchImpl: typeof fetch = fetch,
    /** Per-request limit: a hung storage or identity endpoint must not hold the invocation. */
    private readonly timeoutMs = 10_000,
  ) {}

  async write(eventId: string, record: Record<string, unknown>): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    const url = `${this.containerUrl.replace(/\/$/, "")}/push-sender/${day}/${blobNameFor(eventId)}.json`;
    const res = await this.fetchImpl(url, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        "x-ms-version": "2023-11-03",
        "x-ms-blob-type": "BlockBlob",
        "content-type": "application/json",
      },
      body: JSON.stringify(record),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`dead-letter write returned HTTP ${res.status}`);
  }

  /** A storage token from the App Service managed identity endpoint, cached until shortly before it expires. */
  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - 60_000 > Date.now()) return this.token.value;
    const endpoint = this.env.IDENTITY_ENDPOINT;
    const header = this.env.IDENTITY_HEADER;
    if (!endpoint || !header)
      throw new Error("no managed identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER) in this environment");
    const res = await this.fetchImpl(
      `${endpoint}?resource=${encodeURIComponent("https://storage.azure.com/")}&api-version=2019-08-01`,
      { headers: { "X-IDENTITY-HEADER": header }, signal: AbortSignal.timeout(this.timeoutMs) },
    );
    if (!res.ok) throw new Error(`managed identity endpoint returned HTTP ${res.status}`);
    const body = (await res.json()) as { access_token: string; expires_on: string };
    this.token = { value: body.access_token, expiresAt: Number(body.expires_on) * 1000 };
    return this.token.value;
  }
}
