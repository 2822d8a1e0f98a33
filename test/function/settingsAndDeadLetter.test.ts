import { BlobDeadLetter } from "../../function/src/deadLetter";
import { readSettings, SETTINGS } from "../../function/src/settings";

const CS = "Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=c2VjcmV0LWtleS0xMjM0NTY3ODkw";

describe("push sender settings", () => {
  const good = { [SETTINGS.connectionString]: CS, [SETTINGS.hubName]: "hub" };

  it("reads defaults: both platforms, no previews, chat pushed", () => {
    expect(readSettings(good)).toMatchObject({
      platforms: ["apple", "fcmv1"],
      includePreview: false,
      sendChatMessages: true,
      hubName: "hub",
    });
  });

  it("reads what the component sets", () => {
    const s = readSettings({
      ...good,
      [SETTINGS.platforms]: "fcmv1",
      [SETTINGS.messagePreview]: "true",
      [SETTINGS.chatMessages]: "false",
    });
    expect(s).toMatchObject({ platforms: ["fcmv1"], includePreview: true, sendChatMessages: false });
  });

  it("lists every bad setting by name and never shows the connection string", () => {
    const unresolved = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/hub)";
    let message = "";
    try {
      readSettings({ [SETTINGS.connectionString]: unresolved, [SETTINGS.platforms]: "apns" });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of [SETTINGS.connectionString, SETTINGS.hubName, SETTINGS.platforms]) expect(message).toContain(name);
    expect(message).toMatch(/is the Key Vault reference resolved/);
    expect(message).not.toContain("kv.vault.azure.net");
  });
});

describe("dead-letter records", () => {
  it("PUTs a JSON blob with a managed-identity token, reusing the token until it nears expiry", async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      if (url.startsWith("http://localhost:8081/msi/token")) {
        return new Response(
          JSON.stringify({ access_token: "storage-token", expires_on: String(Math.floor(Date.now() / 1000) + 3600) }),
          { status: 200 },
        );
      }
      return new Response("", { status: 201 });
    }) as unknown as typeof fetch;
    const sink = new BlobDeadLetter(
      "https://st.blob.core.windows.net/dead-letter/",
      { IDENTITY_ENDPOINT: "http://localhost:8081/msi/token", IDENTITY_HEADER: "h" },
      fetchImpl,
    );
    await sink.write("evt/1", { eventId: "evt/1", reason: "HTTP 400" });
    await sink.write("evt-2", { eventId: "evt-2", reason: "HTTP 400" });
    const puts = calls.filter((c) => c.init?.method === "PUT");
    expect(calls.filter((c) => c.url.includes("msi/token"))).toHaveLength(1);
    expect(calls[0].url).toContain("resource=https%3A%2F%2Fstorage.azure.com%2F");
    expect(puts[0].url).toMatch(
      /^https:\/\/st\.blob\.core\.windows\.net\/dead-letter\/push-sender\/\d{4}-\d{2}-\d{2}\/evt%2F1\.json$/,
    );
    expect(puts[0].init?.headers).toMatchObject({ authorization: "Bearer storage-token", "x-ms-blob-type": "BlockBlob" });
    expect(JSON.parse(String(puts[0].init?.body))).toEqual({ eventId: "evt/1", reason: "HTTP 400" });
  });

  it("says when no managed identity is available", async () => {
    const sink = new BlobDeadLetter(
      "https://st.blob.core.windows.net/dead-letter",
      {},
      (async () => new Response("")) as unknown as typeof fetch,
    );
    await expect(sink.write("e", {})).rejects.toThrow(/no managed identity endpoint/);
  });
});
