import { NotificationHubsClient } from "@azure/notification-hubs";
import { createHubClient, reuseSasTokens } from "../../function/src/hubClient";

const CONNECTION_STRING =
  "Endpoint=sb://nh-test.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=c2VjcmV0LWtleS1mb3ItdGVzdHM=";
type Credential = { getToken(audience: string): Promise<{ token: string; expiresOnTimestamp: number } | null> };
type Internals = { _client: { sasTokenCredential: Credential } };

const NOW = 1_800_000_000_000; // a whole second, so expiry arithmetic is exact

/** A client-shaped object whose credential counts signatures and expires tokens as told. */
function fakeClient(expiresInSeconds: number, answers: ("token" | "null")[] = []) {
  let signed = 0;
  const credential: Credential = {
    async getToken(audience) {
      signed++;
      if (answers.shift() === "null") return null;
      return { token: `sig-${signed}-${audience}`, expiresOnTimestamp: NOW / 1000 + expiresInSeconds };
    },
  };
  const client = { _client: { sasTokenCredential: credential } };
  return { client, signed: () => signed, wrapped: () => client._client.sasTokenCredential };
}

describe("reusing the hub client's SAS tokens", () => {
  beforeEach(() => jest.spyOn(Date, "now").mockReturnValue(NOW));
  afterEach(() => jest.restoreAllMocks());

  it("still finds the credential inside the real @azure/notification-hubs client, and signs once for many requests", async () => {
    const client = new NotificationHubsClient(CONNECTION_STRING, "hub");
    const inner = (client as unknown as Internals)._client.sasTokenCredential;
    const sign = jest.spyOn(inner, "getToken");
    expect(reuseSasTokens(client)).toBe(true);
    const wrapped = (client as unknown as Internals)._client.sasTokenCredential;
    const first = await wrapped.getToken("https://nh-test.servicebus.windows.net/hub");
    const second = await wrapped.getToken("https://nh-test.servicebus.windows.net/hub");
    expect(second).toBe(first);
    expect(sign).toHaveBeenCalledTimes(1);
    expect(first?.token).toMatch(/^SharedAccessSignature sr=.+&sig=.+&se=\d+&skn=acs-send$/);
  });

  it("keeps a token until five minutes before it expires, then signs a new one", async () => {
    const fresh = fakeClient(301);
    reuseSasTokens(fresh.client as never);
    await fresh.wrapped().getToken("a");
    await fresh.wrapped().getToken("a");
    expect(fresh.signed()).toBe(1);

    const atTheLimit = fakeClient(300);
    reuseSasTokens(atTheLimit.client as never);
    const one = await atTheLimit.wrapped().getToken("a");
    const two = await atTheLimit.wrapped().getToken("a");
    expect(atTheLimit.signed()).toBe(2);
    expect(two).not.toEqual(one);
  });

  it("keeps one token per audience, and never keeps a missing one", async () => {
    const perAudience = fakeClient(3600);
    reuseSasTokens(perAudience.client as never);
    await perAudience.wrapped().getToken("a");
    await perAudience.wrapped().getToken("b");
    await perAudience.wrapped().getToken("a");
    expect(perAudience.signed()).toBe(2);

    const missing = fakeClient(3600, ["null"]);
    reuseSasTokens(missing.client as never);
    expect(await missing.wrapped().getToken("a")).toBeNull();
    expect(await missing.wrapped().getToken("a")).toEqual({ token: "sig-2-a", expiresOnTimestamp: NOW / 1000 + 3600 });
    expect(missing.signed()).toBe(2);
  });

  it("does nothing to a client whose internals changed", () => {
    expect(reuseSasTokens({} as never)).toBe(false);
    expect(reuseSasTokens({ _client: {} } as never)).toBe(false);
    const odd = { _client: { sasTokenCredential: { getToken: "not a function" } } };
    expect(reuseSasTokens(odd as never)).toBe(false);
    expect(odd._client.sasTokenCredential.getToken).toBe("not a function");
  });

  it("creates the process's client with reuse in place", async () => {
    const client = createHubClient(CONNECTION_STRING, "hub");
    const wrapped = (client as unknown as Internals)._client.sasTokenCredential;
    const a = await wrapped.getToken("https://nh-test.servicebus.windows.net/hub");
    jest.spyOn(Date, "now").mockReturnValue(NOW + 10_000);
    expect(await wrapped.getToken("https://nh-test.servicebus.windows.net/hub")).toBe(a);
  });
});
