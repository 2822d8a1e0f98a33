import * as fs from "node:fs";
import * as path from "node:path";
import { CLASSIC, isHub, isHubRule, isNativeEventSubscription } from "../../../policies/framework/resourceTypes";
import { projectRoot } from "../../support/runTool";

// The classic provider's type tokens as its npm package publishes them (test/fixtures/pulumi-azure):
// the package itself is not installed, because the engine installs the plugin of every resource
// package it finds under the project (see test/pluginScan.test.ts).
const published = JSON.parse(
  fs.readFileSync(path.join(projectRoot, "test", "fixtures", "pulumi-azure", "classic-types.json"), "utf8"),
) as { types: Record<string, string> };
const classicFiles: Record<keyof typeof CLASSIC, string> = {
  hub: "notificationhub/hub.js",
  authorizationRule: "notificationhub/authorizationRule.js",
  communicationService: "communication/service.js",
  systemTopicEventSubscription: "eventgrid/systemTopicEventSubscription.js",
  systemTopic: "eventgrid/systemTopic.js",
  linuxFunctionApp: "appservice/linuxFunctionApp.js",
  windowsFunctionApp: "appservice/windowsFunctionApp.js",
  appFlexConsumption: "appservice/appFlexConsumption.js",
  functionApp: "appservice/functionApp.js",
};

describe("resource type matching", () => {
  it.each(Object.entries(CLASSIC))("the classic token for %s is the published @pulumi/azure class's own", (key, token) => {
    expect(published.types[classicFiles[key as keyof typeof CLASSIC]]).toBe(token);
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
