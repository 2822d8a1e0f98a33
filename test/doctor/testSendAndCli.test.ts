import { createHash } from "node:crypto";
import { parseDoctorArgs, targetFrom } from "../../tools/doctor/doctor";
import { renderTestSend } from "../../tools/doctor/report";
import { tagForUser, testSend } from "../../tools/doctor/testSend";
import { userTag } from "../../function/src/tags";
import { FakeNotificationHubs } from "../support/fakeNotificationHubs";
import { publishedNotificationOutcome } from "../support/azureFixtures";
import * as path from "node:path";
import { runToolWithEnv } from "../support/runTool";
import { LOCALHOST_CA } from "../support/tlsFake";

const RAW_ID = "8:acs:1b5cc06b-f352-4571-b1e6-d9b259b7c776_00000007-1234-5678-90ab-cdef00000000";
const DELIVERED = "The Notification was successfully sent to the Push Notification System";

describe("doctor test-send against a local Notification Hubs endpoint", () => {
  const hub = new FakeNotificationHubs();
  beforeAll(() => hub.start());
  afterAll(() => hub.stop());

  it("sends a test push per platform to the user's tag and reports each registration's outcome", async () => {
    hub.testResults = [
      { platform: "apple", handle: "a1b2c3d4e5f60718293a4b5c6d7e8f90", registrationId: "111", outcome: DELIVERED },
      {
        platform: "fcmv1",
        handle: "fcm-token-0123456789abcdef",
        registrationId: "222",
        outcome: "The Push Notification System handle for the registration is invalid",
      },
    ];
    const summary = await testSend(hub.connectionString(), "acs-hub", tagForUser(RAW_ID), ["apple", "fcmv1"], {
      tlsOptions: { ca: LOCALHOST_CA },
      retryOptions: { maxRetries: 0 },
    });
    expect(summary).toMatchObject({ success: 1, failure: 1 });
    expect(summary.results).toEqual([
      { platform: "apple", registrationId: "111", handle: "…6d7e8f90", outcome: DELIVERED },
      {
        platform: "fcmv1",
        registrationId: "222",
        handle: "…89abcdef",
        outcome: "The Push Notification System handle for the registration is invalid",
      },
    ]);
    expect(hub.sends.map((s) => s.tags)).toEqual([userTag(RAW_ID), userTag(RAW_ID)]);
    expect(hub.sends.find((s) => s.format === "fcmv1")!.body).toEqual({
      message: { notification: { title: "acs-notifications", body: "Test push from the doctor" } },
    });
    const text = renderTestSend(summary);
    expect(text).toMatch(/1 succeeded, 1 failed/);
    expect(text).not.toContain("a1b2c3d4e5f6");
  });

  it("reads Notification Hubs' NotificationOutcome as published (Azure SDK for JS serializer test)", async () => {
    hub.testOutcomeXml = publishedNotificationOutcome("notification-outcome");
    try {
      const summary = await testSend(hub.connectionString(), "acs-hub", tagForUser(RAW_ID), ["apple"], {
        tlsOptions: { ca: LOCALHOST_CA },
        retryOptions: { maxRetries: 0 },
      });
      expect(summary).toMatchObject({ success: 1, failure: 1 });
      expect(summary.results.map((r) => [r.registrationId, r.outcome])).toEqual([
        ["849523884231660601-248604613279522266-3", "The Push Notification System handle for the registration is invalid"],
        ["282625459606590828-2679902039720441464-3", DELIVERED],
      ]);
      // Device handles are shortened, never printed whole.
      expect(JSON.stringify(summary)).not.toContain("00FC13ADFF785122B4AD28809A3420982341241421348097878E577C991DE8F0");
    } finally {
      hub.testOutcomeXml = undefined;
    }
  });

  it("says when no registration carries the tag (published empty NotificationOutcome)", async () => {
    hub.testOutcomeXml = publishedNotificationOutcome("notification-outcome-empty");
    const summary = await testSend(hub.connectionString(), "acs-hub", "user_nobody", ["apple"], {
      tlsOptions: { ca: LOCALHOST_CA },
    });
    hub.testOutcomeXml = undefined;
    expect(renderTestSend(summary)).toMatch(/no registration carries this tag/);
  });

  it("uses the push sender's tag scheme", () => {
    expect(tagForUser(RAW_ID)).toBe(`user_${createHash("sha256").update(RAW_ID).digest("hex")}`);
    expect(tagForUser(RAW_ID)).toBe(userTag(RAW_ID));
  });
});

describe("doctor command line", () => {
  it.each([
    [[], /say which environment/],
    [["--stack", "prod", "--since", "yesterday"], /--since takes hours or days/],
    [["--acs-id", "not-an-id"], /--acs-id is not the ARM id of a Communication Services resource/],
    [
      [
        "--acs-id",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs",
        "--hub-id",
        "hub",
      ],
      /--hub-id is not the ARM id of a notification hub/,
    ],
    [
      ["--acs-id", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs"],
      /say which environment/,
    ],
    [["test-send", "--stack", "prod"], /exactly one of --user or --tag/],
    [["--stack", "prod", "--platform", "ios"], /--platform must be/],
    [["--stack", "prod", "--bogus", "1"], /unknown option '--bogus'/],
    [["--stack", "../../etc"], /--stack: '..\/..\/etc' is not a stack name/],
    [["--stack"], /--stack needs a value/],
  ])("rejects %j with usage", (argv, message) => {
    expect(parseDoctorArgs(argv as string[])).toMatch(message);
  });

  it("takes ids and the APNs environment from stack outputs, and the window from --since", () => {
    const args = parseDoctorArgs(["--stack", "staging", "--since", "7d"]);
    if (typeof args === "string" || "help" in args) throw new Error(String(args));
    const target = targetFrom(args, {
      acsId: "/a",
      hubId: "/h",
      hubSendRuleName: "send",
      linkedConnectionStringFingerprint: "sha256:abc",
      hubSendConnectionString: "[secret]",
      apnsEnvironment: "production",
    });
    expect(target).toMatchObject({
      acsId: "/a",
      hubId: "/h",
      sendRuleName: "send",
      linkedFingerprint: "sha256:abc",
      apnsEnvironment: "production",
      sinceHours: 168,
    });
  });

  it("lets --apns-environment win over the output, and ignores an output that names no environment", () => {
    const parsed = (argv: string[]) => {
      const args = parseDoctorArgs(argv);
      if (typeof args === "string" || "help" in args) throw new Error(String(args));
      return args;
    };
    const outputs = { acsId: "/a", hubId: "/h", apnsEnvironment: "production" };
    expect(targetFrom(parsed(["--stack", "dev", "--apns-environment", "sandbox"]), outputs).apnsEnvironment).toBe("sandbox");
    expect(targetFrom(parsed(["--stack", "dev"]), { ...outputs, apnsEnvironment: "Production" }).apnsEnvironment).toBeUndefined();
    expect(targetFrom(parsed(["--stack", "dev"]), { acsId: "/a", hubId: "/h" }).apnsEnvironment).toBeUndefined();
    expect(parseDoctorArgs(["--stack", "dev", "--apns-environment", "develop"])).toMatch(
      /--apns-environment must be production or sandbox; got 'develop'/,
    );
  });

  it("without the pulumi CLI, says how to run with --outputs instead", async () => {
    // A PATH with node alone, so the result does not depend on whether this machine has the CLI.
    const { code, stderr } = await runToolWithEnv({ PATH: path.dirname(process.execPath) }, "doctor", "--stack", "dev");
    expect(code).toBe(1);
    expect(stderr).toMatch(/pulumi CLI is not installed here.*--outputs FILE/);
  });
});
