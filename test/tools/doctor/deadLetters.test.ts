import * as https from "node:https";
import type { TokenCredential } from "@azure/identity";
import { createDoctorClients } from "../../../tools/doctor/azureClients";
import { checkPushSender } from "../../../tools/doctor/pushSenderChecks";
import type { CheckResult } from "../../../tools/doctor/catalogue";
import { Azurite, storageAccessToken } from "../../support/azurite";
import { LOCALHOST_CA } from "../../support/tlsFake";

const CA = LOCALHOST_CA;
// Storage wants a Storage token; Azurite checks its issuer, audience and lifetime as Entra ID would.
const credential: TokenCredential = {
  getToken: async (scopes) => ({
    token: [scopes].flat().some((s) => s.startsWith("https://storage.azure.com")) ? storageAccessToken() : "arm-token",
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

function put(url: string, body = ""): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: "PUT",
        ca: CA,
        headers: {
          authorization: `Bearer ${storageAccessToken()}`,
          "x-ms-version": "2023-11-03",
          "x-ms-blob-type": "BlockBlob",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the doctor counts dead-letter records in the window (Azurite, OAuth only)", () => {
  const azurite = new Azurite();
  let container = "";
  beforeAll(async () => {
    await azurite.start();
    container = `${azurite.endpoint}/dead-letter`;
    expect(await put(`${container}?restype=container`)).toBe(201);
    expect(await put(`${container}/push-sender/2026-11-28/evt-1.json`, '{"eventId":"evt-1"}')).toBe(201);
    expect(await put(`${container}/push-sender/2026-11-28/evt-2.json`, '{"eventId":"evt-2"}')).toBe(201);
    // Where Event Grid writes its own dead letters: <topic>/<subscription>/<date path>.
    expect(await put(`${container}/ACS-EVENTS/PUSH/2026/11/28/10/abc.json`, "[]")).toBe(201);
  }, 30_000);
  afterAll(() => azurite.stop());

  it("reads the container with a Storage token and tells the sender's records from Event Grid's", async () => {
    const clients = await createDoctorClients("11111111-1111-1111-1111-111111111111", {
      credential,
      pipelineOptions: { tlsOptions: { ca: CA }, retryOptions: { maxRetries: 0 } },
    });
    const results: CheckResult[] = [];
    await checkPushSender(
      clients,
      { acsId: "", hubId: "", deadLetterContainerUrl: container, sinceHours: 24 },
      new Date(Date.now() + 60_000),
      (r) => results.push(r),
    );
    expect(results).toEqual([
      {
        id: "dead-letters",
        title: "dead-letter records in the window",
        status: "warn",
        evidence: "last 24h: 3 record(s), 2 from the push sender, 1 from Event Grid",
        fix: expect.stringMatching(/push-sender\/<day>\//),
      },
    ]);
  });

  it("leaves out records older than the window", async () => {
    const clients = await createDoctorClients("11111111-1111-1111-1111-111111111111", {
      credential,
      pipelineOptions: { tlsOptions: { ca: CA }, retryOptions: { maxRetries: 0 } },
    });
    const results: CheckResult[] = [];
    const dayLater = new Date(Date.now() + 25 * 3_600_000);
    await checkPushSender(clients, { acsId: "", hubId: "", deadLetterContainerUrl: container, sinceHours: 1 }, dayLater, (r) =>
      results.push(r),
    );
    expect(results[0]).toMatchObject({
      status: "pass",
      evidence: "last 1h: 0 record(s), 0 from the push sender, 0 from Event Grid",
    });
  });
});
