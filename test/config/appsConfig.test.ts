import { StackConfigError, validateStackConfig } from "../../config/stackConfig";
import { RawStackConfig } from "../../config/stackConfigTypes";
import { apnsP8, fcmPrivateKeyPem } from "../support/keys";
import { inputWith } from "../support/stackConfigInput";

/** The valid input's one-app keys replaced by `apps`, `nativeApp` and `appSecrets`. */
function withApps(apps: unknown, secrets: Record<string, unknown>, nativeApp?: string): RawStackConfig {
  return inputWith(
    { apns: undefined, fcm: undefined, apps, ...(nativeApp ? { nativeApp } : {}) },
    { apnsToken: undefined, fcmPrivateKey: undefined, appSecrets: { kind: "plain", value: JSON.stringify(secrets) } },
  );
}

function problemsOf(input: RawStackConfig): string[] {
  try {
    validateStackConfig(input);
    return [];
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems.map((p) => `${p.key}: ${p.message}`);
    throw error;
  }
}

const customer = {
  name: "customer",
  apns: { keyId: "ABCDE12345", teamId: "TEAM123456", bundleId: "com.contoso.chat", environment: "production" },
  fcm: { projectId: "contoso-chat", clientEmail: "acs-push@contoso-chat.iam.gserviceaccount.com" },
  hubSku: "Standard",
  partitions: 3,
  expectedDevices: 12_000_000,
};
const staff = {
  name: "staff",
  apns: { keyId: "FGHIJ67890", teamId: "TEAM123456", bundleId: "com.contoso.staff", environment: "production" },
};
const secrets = {
  customer: { apnsToken: apnsP8, fcmPrivateKey: fcmPrivateKeyPem },
  staff: { apnsToken: apnsP8 },
};

describe("apps: several apps, each with its hubs", () => {
  it("reads two apps, their secrets, partitions and the linked app", () => {
    const config = validateStackConfig(withApps([customer, staff], secrets, "customer"));
    expect(config.apps.map((a) => [a.name, a.hubSku, a.partitions, Boolean(a.apns), Boolean(a.fcmV1)])).toEqual([
      ["customer", "Standard", 3, true, true],
      ["staff", "Free", 1, true, false],
    ]);
    expect(config.nativeApp).toBe("customer");
    // The one-app view is the linked app's.
    expect(config.apns?.bundleId).toBe("com.contoso.chat");
    expect(config.hubSku).toBe("Standard");
    expect(config.apps[0].apns?.token.kind).toBe("plain");
  });

  it("keeps the one-app form as one app named default, linked", () => {
    const config = validateStackConfig(inputWith({}, {}));
    expect(config.apps).toHaveLength(1);
    expect(config.apps[0]).toMatchObject({ name: "default", partitions: 1 });
    expect(config.nativeApp).toBe("default");
  });

  it("names every problem at once: duplicate names, bundle ids and Firebase projects, an app without a platform, no linked app", () => {
    const problems = problemsOf(
      withApps(
        [
          customer,
          { ...staff, apns: { ...staff.apns, bundleId: "com.contoso.chat" } },
          { name: "kiosk", fcm: customer.fcm },
          { name: "kiosk", hubSku: "Basic" },
        ],
        { ...secrets, kiosk: { fcmPrivateKey: fcmPrivateKeyPem } },
      ),
    ).join("\n");
    expect(problems).toMatch(/apps: has two apps named kiosk/);
    expect(problems).toMatch(/customer and staff have the same iOS bundle id \(com\.contoso\.chat\)/);
    expect(problems).toMatch(/customer and kiosk have the same Firebase project \(contoso-chat\)/);
    expect(problems).toMatch(/apps\[3\]: \(kiosk\) has no push platform/);
    expect(problems).toMatch(/nativeApp: is required with several apps/);
  });

  it("refuses shrinking, with the reason, and a growth that is not one", () => {
    const own = { customer: secrets.customer };
    expect(problemsOf(withApps([{ ...customer, partitions: 2, growingFrom: 3 }], own)).join("\n")).toMatch(
      /apps\[0\]\.growingFrom: is 3, more than partitions \(2\): shrinking is refused — the devices registered in partitions 2…2 would stop getting pushes/,
    );
    expect(problemsOf(withApps([{ ...customer, growingFrom: 3 }], own)).join("\n")).toMatch(
      /equals partitions \(3\): nothing is growing/,
    );
    expect(validateStackConfig(withApps([{ ...customer, partitions: 4, growingFrom: 3 }], own)).apps[0].growingFrom).toBe(3);
  });

  it("asks for each app's secrets by name, and never shows one", () => {
    const problems = problemsOf(
      withApps([customer, staff], { customer: { apnsToken: "not a key", fcmPrivateKey: fcmPrivateKeyPem } }, "staff"),
    );
    expect(problems.join("\n")).toMatch(/appSecrets\.customer\.apnsToken: must be the contents of an APNs \.p8 auth key/);
    expect(problems.join("\n")).toMatch(/appSecrets\.staff\.apnsToken: is required when apps\[1\]\.apns is set/);
    expect(problems.join("\n")).not.toContain("not a key");
    expect(problemsOf(withApps([staff], { staff: { apnsToken: apnsP8 }, ghost: {} })).join("\n")).toMatch(
      /appSecrets\.ghost: names no app/,
    );
  });

  it("refuses apps mixed with the one-app keys, and a bad name or partition count", () => {
    const mixed = inputWith(
      { apps: [staff] },
      { appSecrets: { kind: "plain", value: JSON.stringify({ staff: { apnsToken: apnsP8 } }) } },
    );
    expect(problemsOf(mixed).join("\n")).toMatch(
      /apps: cannot be combined with the one-app keys \(apns, fcm, apnsToken, fcmPrivateKey\)/,
    );
    const bad = problemsOf(withApps([{ ...staff, name: "Staff-App", partitions: 17 }], { staff: { apnsToken: apnsP8 } })).join(
      "\n",
    );
    expect(bad).toMatch(/apps\[0\]\.name: must be a short app name/);
    expect(bad).toMatch(/apps\[0\]\.partitions: must be a whole number from 1 to 16/);
  });

  it("counts every app's secrets as present when the secret object cannot be read here (an offline plan)", () => {
    const input = inputWith(
      { apns: undefined, fcm: undefined, apps: [customer, staff], nativeApp: "customer" },
      { apnsToken: undefined, fcmPrivateKey: undefined, appSecrets: { kind: "opaque" } },
    );
    expect(validateStackConfig(input).apps.map((a) => a.apns?.token.kind)).toEqual(["opaque", "opaque"]);
  });
});
