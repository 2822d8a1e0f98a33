/**
 * Type tokens the rules apply to. azure-native resources are matched in their default module and
 * in every versioned module (`azure-native:notificationhubs/v20231001preview:NotificationHub`),
 * since `validateResourceOfType` only matches the exact token of one class. Classic `@pulumi/azure`
 * tokens are listed as they stand in that SDK (a test checks them against its classes).
 */
export type TypeMatcher = (type: string) => boolean;

/** Matches `azure-native:<module>:<name>` and `azure-native:<module>/v…:<name>`. */
export function azureNative(module: string, name: string): TypeMatcher {
  const pattern = new RegExp(`^azure-native:${module}(/v[0-9a-z]+)?:${name}$`);
  return (type) => pattern.test(type);
}

export function exactly(...tokens: string[]): TypeMatcher {
  return (type) => tokens.includes(type);
}

export function anyOf(...matchers: TypeMatcher[]): TypeMatcher {
  return (type) => matchers.some((m) => m(type));
}

export const CLASSIC = {
  hub: "azure:notificationhub/hub:Hub",
  authorizationRule: "azure:notificationhub/authorizationRule:AuthorizationRule",
  communicationService: "azure:communication/service:Service",
  systemTopicEventSubscription: "azure:eventgrid/systemTopicEventSubscription:SystemTopicEventSubscription",
  systemTopic: "azure:eventgrid/systemTopic:SystemTopic",
  linuxFunctionApp: "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
  windowsFunctionApp: "azure:appservice/windowsFunctionApp:WindowsFunctionApp",
  appFlexConsumption: "azure:appservice/appFlexConsumption:AppFlexConsumption",
  functionApp: "azure:appservice/functionApp:FunctionApp",
} as const;

export const isNativeHub = azureNative("notificationhubs", "NotificationHub");
export const isClassicHub = exactly(CLASSIC.hub);
export const isHub = anyOf(isNativeHub, isClassicHub);

export const isNativeHubRule = azureNative("notificationhubs", "NotificationHubAuthorizationRule");
export const isClassicHubRule = exactly(CLASSIC.authorizationRule);
export const isHubRule = anyOf(isNativeHubRule, isClassicHubRule);

export const isCommunicationService = anyOf(
  azureNative("communication", "CommunicationService"),
  exactly(CLASSIC.communicationService),
);

/** This project's hub link (a dynamic resource); a copy of components/resourceTypes.ts, held equal by a test. */
export const HUB_LINK_TYPE = "pulumi-nodejs:dynamic:NotificationHubLink";
export const isHubLink = exactly(HUB_LINK_TYPE);

export const isNativeSystemTopic = azureNative("eventgrid", "SystemTopic");
export const isSystemTopic = anyOf(isNativeSystemTopic, exactly(CLASSIC.systemTopic));
export const isNativeEventSubscription = anyOf(
  azureNative("eventgrid", "SystemTopicEventSubscription"),
  azureNative("eventgrid", "EventSubscription"),
);
export const isClassicEventSubscription = exactly(CLASSIC.systemTopicEventSubscription);
export const isEventSubscription = anyOf(isNativeEventSubscription, isClassicEventSubscription);

export const isNativeWebApp = azureNative("web", "WebApp");
export const isNativeAppSettings = azureNative("web", "WebAppApplicationSettings");
export const isClassicFunctionApp = exactly(
  CLASSIC.linuxFunctionApp,
  CLASSIC.windowsFunctionApp,
  CLASSIC.appFlexConsumption,
  CLASSIC.functionApp,
);

/** The ACS topic type Event Grid uses for Communication Services events. */
export const ACS_TOPIC_TYPE = "Microsoft.Communication.CommunicationServices";

/** This project's hub component (one per app partition), whose inputs say which app and partition it serves. */
export const isAppHub = exactly("acs-notifications:notificationhubs:NotificationHub");
