import { apnsEndpointFor, apnsEnvironmentOf, apnsHostOf, APNS_ENVIRONMENTS, APNS_GATEWAY_HOSTS } from "../../azure/apns";

describe("APNs gateways", () => {
  it("gives each environment Apple's token-mode endpoint, which reads back as that environment", () => {
    expect(apnsEndpointFor("production")).toBe("https://api.push.apple.com:443/3/device");
    expect(apnsEndpointFor("sandbox")).toBe("https://api.development.push.apple.com:443/3/device");
    for (const environment of APNS_ENVIRONMENTS) expect(apnsEnvironmentOf(apnsEndpointFor(environment))).toBe(environment);
  });

  it("reads every known host of an environment, as a URL or a bare host, in any case", () => {
    for (const environment of APNS_ENVIRONMENTS)
      for (const host of APNS_GATEWAY_HOSTS[environment]) {
        expect(apnsEnvironmentOf(host)).toBe(environment);
        expect(apnsEnvironmentOf(`https://${host.toUpperCase()}:443/3/device`)).toBe(environment);
      }
  });

  it("knows no environment for another host or text that is not a URL", () => {
    for (const endpoint of ["https://api.push.apple.com.evil.example/3/device", "https://push.example.com", "not a url", ""])
      expect(apnsEnvironmentOf(endpoint)).toBeUndefined();
  });

  it("names an endpoint's host for messages, or the text itself when it is no URL", () => {
    expect(apnsHostOf("https://API.push.apple.com:443/3/device")).toBe("api.push.apple.com");
    expect(apnsHostOf("gateway.sandbox.push.apple.com")).toBe("gateway.sandbox.push.apple.com");
    expect(apnsHostOf("Not A URL")).toBe("not a url");
  });
});
