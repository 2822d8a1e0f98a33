import { createHash } from "node:crypto";
import { renderTestSend } from "../../../tools/doctor/report";
import { tagForUser, testSend } from "../../../tools/doctor/testSend";
import { userTag } from "../../../function/src/tags";
import { FakeNotificationHubs } from "../../support/fakeNotificationHubs";
import { publishedNotificationOutcome } from "../../support/azureFixtures";
import { LOCALHOST_CA } from "../../support/tlsFake";

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

  it("says a success answer it cannot read could not be read, naming the host, not that the send failed", async () => {
    hub.testOutcomeXml = "<html><body>Sign in to continue</body></html>";
    let error: Error | undefined;
    try {
      await testSend(hub.connectionString(), "acs-hub", "user_nobody", ["apple"], {
        tlsOptions: { ca: LOCALHOST_CA },
        retryOptions: { maxRetries: 0 },
      });
    } catch (e) {
      error = e as Error;
    } finally {
      hub.testOutcomeXml = undefined;
    }
    expect(error?.message).toMatch(/^127\.0\.0\.1:\d+ answered with something that could not be read as its answer/);
    expect(error?.message).not.toMatch(/operation failed with status/);
  });

  it("uses the push sender's tag scheme", () => {
    expect(tagForUser(RAW_ID)).toBe(`user_${createHash("sha256").update(RAW_ID).digest("hex")}`);
    expect(tagForUser(RAW_ID)).toBe(userTag(RAW_ID));
  });
});
