import { BlobDeadLetter, blobNameFor } from "../../function/src/deadLetter";

// What the sender keeps of a push it could not make: one blob per event, written with the app's managed
// identity, under a name Storage cannot misread as folders.
describe("blobNameFor", () => {
  it.each([
    ["6dbc8c1e-0fd8-4e4b-9c2e-fdac1b0a5e54", true],
    ["event.v2_x-1", true],
    ["a".repeat(200), true],
    ["a".repeat(201), false],
    ["a/b", false],
    ["a%2Fb", false],
    ["..", false],
    [".", false],
    ["", false],
    ["x\nGUID", false],
  ])("%j is used as is: %s", (id, kept) => {
    const name = blobNameFor(id);
    if (kept) expect(name).toBe(id);
    else expect(name).toMatch(/^id-[0-9a-f]{32}$/);
  });

  it("hashes different ids to different names, the same id to the same name", () => {
    expect(blobNameFor("a/b")).toBe(blobNameFor("a/b"));
    expect(blobNameFor("a/b")).not.toBe(blobNameFor("a/c"));
  });
});

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(answers: { identity?: number; blob?: number; expiresInS?: number } = {}) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    if (url.startsWith("http://identity")) {
      const expiresOn = Math.floor(Date.now() / 1000) + (answers.expiresInS ?? 3600);
      return new Response(JSON.stringify({ access_token: `token-${calls.length}`, expires_on: String(expiresOn) }), {
        status: answers.identity ?? 200,
      });
    }
    return new Response(null, { status: answers.blob ?? 201 });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

const env = { IDENTITY_ENDPOINT: "http://identity.local/msi/token", IDENTITY_HEADER: "h3ader" };

describe("BlobDeadLetter", () => {
  it("gets a storage token from the managed identity endpoint and PUTs the record as a block blob under today's folder", async () => {
    const { calls, fetchImpl } = fakeFetch();
    await new BlobDeadLetter("https://st.blob.core.windows.net/dead-letter/", env, fetchImpl).write("evt-1", { reason: "x" });
    expect(calls).toHaveLength(2);
    expect(calls[0].url).toBe(
      "http://identity.local/msi/token?resource=https%3A%2F%2Fstorage.azure.com%2F&api-version=2019-08-01",
    );
    expect(calls[0].init.headers).toEqual({ "X-IDENTITY-HEADER": "h3ader" });
    const day = new Date().toISOString().slice(0, 10);
    expect(calls[1].url).toBe(`https://st.blob.core.windows.net/dead-letter/push-sender/${day}/evt-1.json`);
    expect(calls[1].init).toMatchObject({
      method: "PUT",
      headers: {
        authorization: "Bearer token-1",
        "x-ms-version": "2023-11-03",
        "x-ms-blob-type": "BlockBlob",
        "content-type": "application/json",
      },
      body: JSON.stringify({ reason: "x" }),
    });
    expect(calls[1].init.signal).toBeInstanceOf(AbortSignal);
  });

  it("reuses the token until a minute before it expires", async () => {
    const lasting = fakeFetch({ expiresInS: 3600 });
    const sink = new BlobDeadLetter("https://st/c", env, lasting.fetchImpl);
    await sink.write("a", {});
    await sink.write("b", {});
    expect(lasting.calls.filter((c) => c.url.startsWith("http://identity"))).toHaveLength(1);

    const expiring = fakeFetch({ expiresInS: 59 });
    const sink2 = new BlobDeadLetter("https://st/c", env, expiring.fetchImpl);
    await sink2.write("a", {});
    await sink2.write("b", {});
    expect(expiring.calls.filter((c) => c.url.startsWith("http://identity"))).toHaveLength(2);
  });

  it("says plainly what failed: no identity endpoint, the identity endpoint, or the write", async () => {
    const { fetchImpl } = fakeFetch();
    await expect(new BlobDeadLetter("https://st/c", {}, fetchImpl).write("a", {})).rejects.toThrow(
      "no managed identity endpoint (IDENTITY_ENDPOINT / IDENTITY_HEADER) in this environment",
    );
    await expect(
      new BlobDeadLetter("https://st/c", { IDENTITY_ENDPOINT: "http://identity" }, fetchImpl).write("a", {}),
    ).rejects.toThrow(/no managed identity endpoint/);
    await expect(new BlobDeadLetter("https://st/c", env, fakeFetch({ identity: 500 }).fetchImpl).write("a", {})).rejects.toThrow(
      "managed identity endpoint returned HTTP 500",
    );
    await expect(new BlobDeadLetter("https://st/c", env, fakeFetch({ blob: 403 }).fetchImpl).write("a", {})).rejects.toThrow(
      "dead-letter write returned HTTP 403",
    );
  });
});
