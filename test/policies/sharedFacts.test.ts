import { CERTIFICATE_FIELDS, GATEWAY_HOSTS, NATIVE_TOKEN_FIELDS } from "../../policies/rules/apns";
import { CHAT_EVENTS, PUSH_DELIVERY_TYPE } from "../../policies/rules/chatPush";
import { HUB_LINK_TYPE } from "../../policies/framework/resourceTypes";
import { COMPONENT_TYPES, DYNAMIC_TYPE_NAMES, dynamicTypeToken } from "../../components/resourceTypes";
import { CHAT_MESSAGE_EVENTS } from "../../azure/acsEventTypes";
import { APNS_CERTIFICATE_FIELDS, APNS_GATEWAY_HOSTS, APNS_TOKEN_FIELDS } from "../../azure/apns";

// The policy pack is published on its own, so it keeps copies of facts the project holds once;
// these tests fail when a copy drifts from the original.
describe("the policy pack's copies of the project's facts", () => {
  it("knows the same APNs gateway hosts per environment", () => {
    expect(GATEWAY_HOSTS).toEqual(APNS_GATEWAY_HOSTS);
  });

  it("knows the same APNs credential fields of certificate and token mode", () => {
    expect(CERTIFICATE_FIELDS).toEqual(APNS_CERTIFICATE_FIELDS);
    expect(NATIVE_TOKEN_FIELDS).toEqual(APNS_TOKEN_FIELDS);
  });

  it("knows the same chat message event types", () => {
    expect(CHAT_EVENTS).toEqual(CHAT_MESSAGE_EVENTS);
  });

  it("knows the type tokens of this project's resources it matches", () => {
    expect(PUSH_DELIVERY_TYPE).toBe(COMPONENT_TYPES.pushDelivery);
    expect(HUB_LINK_TYPE).toBe(dynamicTypeToken(DYNAMIC_TYPE_NAMES.notificationHubLink));
  });
});
