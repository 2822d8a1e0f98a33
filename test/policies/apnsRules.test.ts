import { apnsEndpointMatchesEnvironment, apnsTokenAuthRequired } from "../../policies/rules/apns";
import { apnsToken } from "./fixtures";
import { FakeResource, runResourceRule, UNKNOWN_OBJECT, UNKNOWN_STRING } from "./harness";

const nativeHub = (apnsCredential: unknown, stack = "dev"): FakeResource => ({
  stack,
  type: "azure-native:notificationhubs:NotificationHub",
  name: "hub",
  props: apnsCredential === undefined ? {} : { apnsCredential },
});
const classicHub = (apnsCredential: unknown, stack = "dev"): FakeResource => ({
  stack,
  type: "azure:notificationhub/hub:Hub",
  name: "hub",
  props: { apnsCredential },
});
const classicToken = {
  applicationMode: "Sandbox",
  bundleId: "com.contoso.chat",
  keyId: "ABCDE12345",
  teamId: "TEAM123456",
  token: "p8",
};

describe("apns-token-auth-required", () => {
  it("passes a complete token credential, native and classic", () => {
    expect(runResourceRule(apnsTokenAuthRequired, nativeHub(apnsToken))).toEqual([]);
    expect(runResourceRule(apnsTokenAuthRequired, classicHub(classicToken))).toEqual([]);
  });

  it("says certificate mode is what ACS cannot use, and how to switch, in one message per problem", () => {
    expect(runResourceRule(apnsTokenAuthRequired, nativeHub({ ...apnsToken, thumbprint: "AB12" }))).toEqual([
      "Notification hub 'hub' configures APNs in certificate mode (thumbprint): ACS only pushes through hubs in token mode. Configure a .p8 auth key (keyId, appId, appName, token) and remove the certificate fields.",
    ]);
    // A certificate-only credential: both the certificate and the missing token fields are named.
    expect(runResourceRule(apnsTokenAuthRequired, nativeHub({ apnsCertificate: "MIIC", certificateKey: "pw" }))).toEqual([
      expect.stringMatching(/certificate mode \(apnsCertificate, certificateKey\)/),
      "Notification hub 'hub' APNs token credential must set key id, team id (appId), bundle id (appName), .p8 key (token).",
    ]);
  });

  it("names the classic provider's own field names", () => {
    expect(runResourceRule(apnsTokenAuthRequired, classicHub({ applicationMode: "Production" }))).toEqual([
      "Notification hub 'hub' APNs token credential must set key id, team id, bundle id, .p8 key (token).",
    ]);
  });

  it("does not apply without an APNs credential, or while it is not known yet", () => {
    expect(runResourceRule(apnsTokenAuthRequired, nativeHub(undefined))).toEqual([]);
    expect(runResourceRule(apnsTokenAuthRequired, nativeHub(UNKNOWN_OBJECT))).toEqual([]);
    // An unknown certificate field is not taken for a set one.
    expect(runResourceRule(apnsTokenAuthRequired, nativeHub({ ...apnsToken, thumbprint: UNKNOWN_STRING }))).toEqual([]);
  });
});

describe("apns-endpoint-matches-environment", () => {
  const findings = (hub: FakeResource, config: object = {}) => runResourceRule(apnsEndpointMatchesEnvironment, hub, config);
  const withEndpoint = (endpoint: unknown, stack: string) => nativeHub({ ...apnsToken, endpoint }, stack);

  it("recognises Apple's gateways written with or without scheme and path, in any case", () => {
    for (const production of [
      "api.push.apple.com",
      "api.push.apple.com/3/device",
      "https://API.PUSH.APPLE.COM/3/device",
      "gateway.push.apple.com",
    ]) {
      expect(findings(withEndpoint(production, "prod"))).toEqual([]);
    }
    for (const sandbox of ["api.development.push.apple.com", "https://api.sandbox.push.apple.com/3/device"]) {
      expect(findings(withEndpoint(sandbox, "dev"))).toEqual([]);
    }
  });

  it("tells which gateway is in use, in which kind of stack, and what to set", () => {
    expect(findings(withEndpoint("https://api.push.apple.com/3/device", "dev"))).toEqual([
      "Notification hub 'hub' uses the APNs production gateway in a non-production stack: pushes to development builds will be rejected. Use the sandbox gateway (apns.environment: sandbox).",
    ]);
    expect(findings(withEndpoint("https://api.development.push.apple.com/3/device", "prod"))).toEqual([
      "Notification hub 'hub' uses the APNs sandbox gateway in a production stack: pushes to App Store and TestFlight builds will be rejected. Use the production gateway (apns.environment: production).",
    ]);
    expect(findings(withEndpoint("http://[not a host", "prod"))).toEqual([
      "Notification hub 'hub' uses the APNs endpoint of an unknown gateway in a production stack: pushes to App Store and TestFlight builds will be rejected. Use the production gateway (apns.environment: production).",
    ]);
  });

  it("treats stacks named prod or production as production by default, others as configured", () => {
    expect(findings(withEndpoint("api.push.apple.com", "production"))).toEqual([]);
    expect(findings(withEndpoint("api.push.apple.com", "live"))).toHaveLength(1);
    expect(findings(withEndpoint("api.push.apple.com", "live"), { productionStacks: ["live"] })).toEqual([]);
    // An explicit environment wins over the stack name, both ways.
    expect(findings(withEndpoint("api.development.push.apple.com", "prod"), { environment: "non-production" })).toEqual([]);
    expect(findings(withEndpoint("api.push.apple.com", "dev"), { environment: "production" })).toEqual([]);
  });

  it("reads a classic hub's applicationMode, in any case", () => {
    expect(findings(classicHub({ ...classicToken, applicationMode: "Production" }, "prod"))).toEqual([]);
    expect(findings(classicHub({ ...classicToken, applicationMode: "sandbox" }, "dev"))).toEqual([]);
    expect(findings(classicHub({ ...classicToken, applicationMode: "Sandbox" }, "prod"))).toEqual([
      expect.stringMatching(/^Notification hub 'hub' uses the APNs sandbox gateway in a production stack/),
    ]);
    expect(findings(classicHub({ ...classicToken, applicationMode: "PRODUCTION" }, "dev"))).toEqual([
      expect.stringMatching(/uses the APNs production gateway in a non-production stack/),
    ]);
    expect(findings(classicHub({ ...classicToken, applicationMode: "Enterprise" }, "dev"))).toEqual([
      expect.stringMatching(/uses the APNs endpoint of an unknown gateway in a non-production stack/),
    ]);
  });

  it("does not guess while the endpoint or mode is unknown or unset", () => {
    expect(findings(withEndpoint(UNKNOWN_STRING, "prod"))).toEqual([]);
    expect(findings(nativeHub({ ...apnsToken, endpoint: undefined }, "prod"))).toEqual([]);
    expect(findings(classicHub({ ...classicToken, applicationMode: UNKNOWN_STRING }, "prod"))).toEqual([]);
    expect(findings(classicHub({ ...classicToken, applicationMode: undefined }, "prod"))).toEqual([]);
  });
});
