import { GATEWAY_HOSTS } from "../../policies/rules/apns";
import { APNS_GATEWAY_HOSTS } from "../../azure/apnsGateways";

// The policy pack is published on its own, so it keeps copies of facts the project holds once;
// these tests fail when a copy drifts from the original.
describe("the policy pack's copies of the project's facts", () => {
  it("knows the same APNs gateway hosts per environment", () => {
    expect(GATEWAY_HOSTS).toEqual(APNS_GATEWAY_HOSTS);
  });
});
