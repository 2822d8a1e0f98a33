import { createHash } from "node:crypto";
import {
  callerOf,
  hubInstallationId,
  InstallationClient,
  InstallationRecord,
  InstallationRegistrar,
  isValidInstallationId,
  readRegistration,
} from "../../function/src/registration";
import { userTag } from "../../function/src/tags";
import { LEDGER_MARKER, parseLedgerLine } from "../../function/src/ledger";

/** The human lines, apart from the ledger's records. */
const humanLines = (lines: string[]) => lines.filter((line) => !line.includes(LEDGER_MARKER));
/** The ledger's records among the lines (each line starts with its level). */
const ledgerRecords = (lines: string[]) => lines.flatMap((line) => parseLedgerLine(line.replace(/^\w+ /, "")) ?? []);

const BACK_END = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const USER = "8:acs:11111111-2222-3333-4444-555555555555_00000020-aaaa-bbbb-cccc-000000000001";
const APNS = "a".repeat(64);
const principal = (claims: { typ: string; val: string }[]) => Buffer.from(JSON.stringify({ claims })).toString("base64");
const asBackEnd = principal([{ typ: "azp", val: BACK_END }]);

class MemoryHub implements InstallationClient {
  readonly installations = new Map<string, InstallationRecord>();
  failWith?: number | "network";
  async createOrUpdateInstallation(installation: InstallationRecord) {
    this.fail();
    this.installations.set(installation.installationId, installation);
  }
  async deleteInstallation(id: string) {
    this.fail();
    this.installations.delete(id);
  }
  private fail() {
    if (this.failWith === "network") throw new Error("socket hang up");
    if (this.failWith !== undefined) throw Object.assign(new Error("hub said no"), { statusCode: this.failWith });
  }
}

function setup() {
  const hub = new MemoryHub();
  const registrar = new InstallationRegistrar(hub, [BACK_END.toUpperCase()]);
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };
  const put = (body: unknown, id: string | undefined = "install-1", header: string | null = asBackEnd) =>
    registrar.handle("PUT", id, header, body, log);
  return { hub, registrar, lines, log, put };
}

describe("the registration endpoint's answers", () => {
  it("registers with the tag derived from the user, and logs ids only", async () => {
    const { hub, lines, put } = setup();
    expect(await put({ userId: USER, platform: "apns", pushChannel: APNS })).toEqual({
      status: 200,
      body: { installationId: "install-1", platform: "apns", tag: userTag(USER) },
    });
    // The hub's id belongs to the user: their id and the app's, hashed together.
    expect(hub.installations.get(hubInstallationId(USER, "install-1"))).toEqual({
      installationId: hubInstallationId(USER, "install-1"),
      platform: "apns",
      pushChannel: APNS,
      tags: [userTag(USER)],
    });
    expect(userTag(USER)).toBe(`user_${createHash("sha256").update(USER, "utf8").digest("hex")}`);
    expect(humanLines(lines)).toEqual([`info installation install-1 (apns) registered by ${BACK_END}`]);
    // The ledger records the save under the user's tag: the trace finds the user's devices by it.
    expect(ledgerRecords(lines)).toEqual([
      expect.objectContaining({ step: "installation-saved", recipientTag: userTag(USER), platform: "apns" }),
    ]);
    expect(lines.join("\n")).not.toContain(USER);
    expect(lines.join("\n")).not.toContain(APNS);
  });

  it("deletes, and answers 204", async () => {
    const { hub, registrar, lines, log, put } = setup();
    await put({ userId: USER, platform: "apns", pushChannel: APNS });
    expect(await registrar.handle("DELETE", "install-1", asBackEnd, { userId: USER }, log)).toEqual({ status: 204, body: {} });
    expect(hub.installations.size).toBe(0);
    expect(humanLines(lines).at(-1)).toBe(`info installation install-1 deleted by ${BACK_END}`);
    expect(ledgerRecords(lines).at(-1)).toMatchObject({ step: "installation-deleted", recipientTag: userTag(USER) });
  });

  it("refuses other methods with 405", async () => {
    const { registrar, log } = setup();
    expect(await registrar.handle("POST", "install-1", asBackEnd, {}, log)).toEqual({
      status: 405,
      body: { error: "use PUT to register and DELETE to unregister" },
    });
  });

  it("answers 401 without a principal and 403 for another application, saying which", async () => {
    const { put, lines } = setup();
    expect(await put({}, "install-1", null)).toEqual({
      status: 401,
      body: { error: "no authenticated caller: the back end must call with an Entra ID token" },
    });
    expect(await put({}, "install-1", principal([{ typ: "azp", val: "99999999-0000-0000-0000-000000000000" }]))).toEqual({
      status: 403,
      body: { error: "this client application may not register devices" },
    });
    expect(lines).toEqual(["warn registration refused: client application 99999999-0000-0000-0000-000000000000 is not allowed"]);
  });

  it("answers 400 for a bad installation id or body, with every problem", async () => {
    const { put } = setup();
    expect(await put({}, "../etc")).toEqual({
      status: 400,
      body: { error: "installationId must be 1-128 letters, digits, '.', '_' or '-' (a UUID per app install)" },
    });
    expect(await put({ userId: "4:+14255550123", platform: "web", pushChannel: 7 })).toEqual({
      status: 400,
      body: {
        error:
          "userId must be the ACS user's raw id (8:acs:…); platform must be apns or fcmv1; pushChannel must be the device's push token",
      },
    });
  });

  it.each([
    ["network", 503, "Notification Hubs is unavailable or throttling: retry later", "with a network error"],
    [429, 503, "Notification Hubs is unavailable or throttling: retry later", "HTTP 429"],
    [500, 503, "Notification Hubs is unavailable or throttling: retry later", "HTTP 500"],
    [401, 502, "the hub refused the registration credential: check NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING", "HTTP 401"],
    [403, 502, "the hub refused the registration credential: check NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING", "HTTP 403"],
    [400, 502, "the hub rejected the installation (HTTP 400)", "HTTP 400"],
    [499, 502, "the hub rejected the installation (HTTP 499)", "HTTP 499"],
  ] as const)("turns a hub failure (%s) into %i, without the hub's text", async (failure, status, error, logged) => {
    const { hub, registrar, log, lines, put } = setup();
    hub.failWith = failure;
    expect(await put({ userId: USER, platform: "apns", pushChannel: APNS })).toEqual({ status, body: { error } });
    expect(await registrar.handle("DELETE", "install-1", asBackEnd, { userId: USER }, log)).toEqual({ status, body: { error } });
    expect(lines).toEqual([`warn registration: the hub answered ${logged}`, `warn registration: the hub answered ${logged}`]);
  });
});

describe("reading a registration body", () => {
  it.each([null, [], "text", 42])("refuses a body that is not an object (%p)", (body) => {
    expect(readRegistration(body)).toEqual({ problems: ["the body must be a JSON object { userId, platform, pushChannel }"] });
  });

  it("names unknown fields and says why tags are never accepted", () => {
    expect(readRegistration({ userId: USER, platform: "apns", pushChannel: APNS, tags: ["x"], extra: 1 })).toEqual({
      problems: [
        "unknown field(s) tags, extra: only userId, platform, pushChannel, app are accepted; tags are derived from userId",
      ],
    });
  });

  it("names at most three unknown fields, and never one whose name looks like a value", () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, i]));
    const [manyProblem] = (
      readRegistration({ userId: USER, platform: "apns", pushChannel: APNS, ...many }) as { problems: string[] }
    ).problems;
    expect(manyProblem).toMatch(/^unknown field\(s\) field0, field1, field2, 497 other fields: only/);
    const huge = "k".repeat(10_000);
    const [hugeProblem] = (
      readRegistration({ userId: USER, platform: "apns", pushChannel: APNS, [huge]: 1 }) as { problems: string[] }
    ).problems;
    expect(hugeProblem).toMatch(/^unknown field\(s\) 1 other unknown field: only/);
    expect(hugeProblem.length).toBeLessThan(200);
    // A device token sent as a field name is not reflected.
    const [tokenProblem] = (
      readRegistration({ userId: USER, platform: "apns", pushChannel: APNS, [APNS]: "x" }) as { problems: string[] }
    ).problems;
    expect(tokenProblem).not.toContain(APNS);
  });

  it("checks each platform's channel form", () => {
    expect(readRegistration({ userId: USER, platform: "apns", pushChannel: "a".repeat(63) })).toEqual({
      problems: ["pushChannel must be an APNs device token: an even number of hex characters, 64 to 200"],
    });
    expect(readRegistration({ userId: USER, platform: "fcmv1", pushChannel: "f".repeat(99) })).toEqual({
      problems: [
        "pushChannel must be an FCM registration token: an optional instance id and ':', then 100-4000 URL-safe characters, mostly letters and digits",
      ],
    });
    expect(readRegistration({ userId: USER, platform: "fcmv1", pushChannel: "f".repeat(100) })).toEqual({
      userId: USER,
      platform: "fcmv1",
      pushChannel: "f".repeat(100),
    });
    expect(readRegistration({ userId: 8, platform: "apns", pushChannel: APNS })).toEqual({
      problems: ["userId must be the ACS user's raw id (8:acs:…)"],
    });
  });
});

describe("device token forms", () => {
  const apns = (pushChannel: string) => readRegistration({ userId: USER, platform: "apns", pushChannel });
  const fcm = (pushChannel: string) => readRegistration({ userId: USER, platform: "fcmv1", pushChannel });
  const refusedAs = (message: string) => ({ problems: [message] });

  it("takes real tokens: 64-hex APNs tokens and longer even-length ones, FCM's <instance id>:APA91b… form", () => {
    for (const token of ["ab".repeat(32), "AB".repeat(32), "0f".repeat(50), "12".repeat(100)])
      expect(apns(token)).not.toHaveProperty("problems");
    for (const token of [
      `dzC2mGy4RZ6yg9Bp3xE_iL:APA91b${"Hk3-_x9Qz".repeat(16)}`.slice(0, 163),
      `cH1kQ0m7vX2y3Z4a5B6c7D:APA91bE${"x7".repeat(60)}`,
      `APA91b${"Ab9".repeat(50)}`,
    ])
      expect(fcm(token)).not.toHaveProperty("problems");
  });

  it("refuses odd-length hex as APNs, and says the range", () => {
    expect(apns("a".repeat(65))).toEqual(
      refusedAs("pushChannel must be an APNs device token: an even number of hex characters, 64 to 200"),
    );
    expect(apns("ab".repeat(101))).toEqual(
      refusedAs("pushChannel must be an APNs device token: an even number of hex characters, 64 to 200"),
    );
  });

  it("refuses punctuation that only has a token's length", () => {
    for (const token of [":".repeat(4096), "-".repeat(100), "_".repeat(150), `abc:${"-".repeat(120)}`, `a:b:${"c".repeat(120)}`])
      expect(fcm(token)).toEqual(
        refusedAs(
          "pushChannel must be an FCM registration token: an optional instance id and ':', then 100-4000 URL-safe characters, mostly letters and digits",
        ),
      );
  });
});

describe("installation ids and callers", () => {
  it("takes installation ids of 1-128 safe characters", () => {
    expect(isValidInstallationId("a".repeat(128))).toBe(true);
    expect(isValidInstallationId("a".repeat(129))).toBe(false);
    expect(isValidInstallationId(undefined)).toBe(false);
    expect(isValidInstallationId(".hidden")).toBe(false);
  });

  it("reads the client application from azp, else appid, lower-cased; nothing from a broken header", () => {
    expect(
      callerOf(
        principal([
          { typ: "appid", val: "APP-V1" },
          { typ: "azp", val: "APP-V2" },
        ]),
      ),
    ).toEqual({ clientId: "app-v2" });
    expect(
      callerOf(
        principal([
          { typ: "name", val: "x" },
          { typ: "appid", val: "APP-V1" },
        ]),
      ),
    ).toEqual({ clientId: "app-v1" });
    expect(callerOf(principal([{ typ: "name", val: "x" }]))).toBeUndefined();
    expect(callerOf(Buffer.from("{}").toString("base64"))).toBeUndefined();
    expect(callerOf(Buffer.from("not json").toString("base64"))).toBeUndefined();
    expect(callerOf("")).toBeUndefined();
    expect(callerOf(undefined)).toBeUndefined();
  });
});
