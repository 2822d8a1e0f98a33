import { CLASSIC, isHub, isHubRule, isNativeEventSubscription } from "../../policies/rules/resourceTypes";

// Classic classes, loaded by submodule; their runtime type tokens are what the engine reports.
const classicClasses: Record<keyof typeof CLASSIC, unknown> = {
  hub: require("@pulumi/azure/notificationhub").Hub,
  authorizationRule: require("@pulumi/azure/notificationhub").AuthorizationRule,
  communicationService: require("@pulumi/azure/communication").Service,
  systemTopicEventSubscription: require("@pulumi/azure/eventgrid").SystemTopicEventSubscription,
  systemTopic: require("@pulumi/azure/eventgrid").SystemTopic,
  linuxFunctionApp: require("@pulumi/azure/appservice").LinuxFunctionApp,
  windowsFunctionApp: require("@pulumi/azure/appservice").WindowsFunctionApp,
  appFlexConsumption: require("@pulumi/azure/appservice").AppFlexConsumption,
  functionApp: require("@pulumi/azure/appservice").FunctionApp,
};

describe("resource type matching", () => {
  it.each(Object.entries(CLASSIC))("the classic token for %s is the @pulumi/azure class's own", (key, token) => {
    expect((classicClasses[key as keyof typeof CLASSIC] as { __pulumiType: string }).__pulumiType).toBe(token);
  });

  it("matches azure-native types in their default and versioned modules, and nothing else", () => {
    expect(isHub("azure-native:notificationhubs:NotificationHub")).toBe(true);
    expect(isHub("azure-native:notificationhubs/v20231001preview:NotificationHub")).toBe(true);
    expect(isHub("azure-native:notificationhubs/v20170401:NotificationHub")).toBe(true);
    expect(isHub("azure:notificationhub/hub:Hub")).toBe(true);
    expect(isHub("azure-native:notificationhubs:NotificationHubAuthorizationRule")).toBe(false);
    expect(isHub("azure-native:notificationhubs:Namespace")).toBe(false);
    expect(isHubRule("azure-native:notificationhubs/v20231001preview:NotificationHubAuthorizationRule")).toBe(true);
    expect(isNativeEventSubscription("azure-native:eventgrid/v20250215:SystemTopicEventSubscription")).toBe(true);
  });
});
