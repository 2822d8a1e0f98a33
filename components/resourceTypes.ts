/**
 * The type tokens this project's resources carry in state, plans and policy findings. The plan's
 * notes and the mocks key on them; the policy pack matches some of them with its own copies
 * (it is published alone), which a test holds equal.
 */
export const COMPONENT_TYPES = {
  communicationServices: "acs-notifications:communication:CommunicationServices",
  notificationHub: "acs-notifications:notificationhubs:NotificationHub",
  notificationHubLink: "acs-notifications:communication:NotificationHubLink",
  pushDelivery: "acs-notifications:delivery:PushDelivery",
  pushSenderFunction: "acs-notifications:delivery:PushSenderFunction",
  pushAlerts: "acs-notifications:monitoring:PushAlerts",
  pushDashboard: "acs-notifications:monitoring:PushDashboard",
} as const;

/** The dynamic resources' type names. */
export const DYNAMIC_TYPE_NAMES = {
  notificationHubLink: "NotificationHubLink",
  functionCodeDeployment: "FunctionCodeDeployment",
  vaultNameSuffix: "VaultNameSuffix",
  hubKeySecret: "HubKeySecret",
  partitionLayout: "PartitionLayout",
} as const;

export type DynamicTypeName = (typeof DYNAMIC_TYPE_NAMES)[keyof typeof DYNAMIC_TYPE_NAMES];

/** The token the engine registers a dynamic resource under. */
export function dynamicTypeToken(name: DynamicTypeName): `pulumi-nodejs:dynamic:${DynamicTypeName}` {
  return `pulumi-nodejs:dynamic:${name}`;
}
