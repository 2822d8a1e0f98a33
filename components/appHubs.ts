import * as pulumi from "@pulumi/pulumi";
import { secretInput } from "../config/readStackConfig";
import type { AppConfig } from "../config/stackConfigTypes";
import { NotificationHub } from "./notificationHub";
import { PartitionLayout } from "./partitionLayout/partitionLayout";
import type { PushAppHubs } from "./pushSender/pushSenderFunction";

/** One partition of one app: its namespace and hub. */
export interface AppHub {
  readonly app: AppConfig;
  readonly partition: number;
  readonly hub: NotificationHub;
}

/**
 * The component name of an app partition's hub. The linked app's first partition keeps the name a
 * one-app stack has always had (`<namePrefix>`), so its resources keep their URNs when apps or
 * partitions are added; every other hub is named after its app and partition.
 */
export function hubComponentName(stackName: string, app: string, partition: number, nativeApp: string): string {
  if (app === nativeApp) return partition === 0 ? stackName : `${stackName}-p${partition}`;
  return partition === 0 ? `${stackName}-${app}` : `${stackName}-${app}-p${partition}`;
}

/**
 * Every app's hubs: one namespace and hub per partition (device quotas are per namespace), with the
 * app's credentials, its tier and the stack's tags. The linked app comes first.
 */
export function createAppHubs(
  stackName: string,
  apps: readonly AppConfig[],
  nativeApp: string,
  shared: { resourceGroupName: pulumi.Input<string>; location: string; tags: Record<string, string> },
  /** Keep each app's partition count in state, so that a shrink is refused (apps listed in `apps`). */
  guardPartitions: boolean,
): AppHub[] {
  const ordered = [...apps].sort((a, b) => Number(b.name === nativeApp) - Number(a.name === nativeApp));
  return ordered.flatMap((app) => {
    // The namespaces wait for the layout: a refused shrink stops the update before any of them changes.
    const layout = guardPartitions
      ? new PartitionLayout(`${stackName}-${app.name}-partitions`, { app: app.name, partitions: app.partitions })
      : undefined;
    return Array.from({ length: app.partitions }, (_, partition) => ({
      app,
      partition,
      hub: new NotificationHub(
        hubComponentName(stackName, app.name, partition, nativeApp),
        {
          resourceGroupName: shared.resourceGroupName,
          location: shared.location,
          sku: app.hubSku,
          tags: shared.tags,
          placement: {
            app: app.name,
            partition,
            partitions: app.partitions,
            ...(app.expectedDevices !== undefined ? { expectedDevices: app.expectedDevices } : {}),
            linked: app.name === nativeApp && partition === 0,
          },
          apns: app.apns && {
            keyId: app.apns.keyId,
            teamId: app.apns.teamId,
            bundleId: app.apns.bundleId,
            environment: app.apns.environment,
            token: secretInput(app.apns.token),
          },
          fcmV1: app.fcmV1 && {
            projectId: app.fcmV1.projectId,
            clientEmail: app.fcmV1.clientEmail,
            privateKey: secretInput(app.fcmV1.privateKey),
          },
        },
        layout ? { dependsOn: [layout] } : undefined,
      ),
    }));
  });
}

/** The platforms an app's hubs have credentials for. */
export function platformsOf(app: AppConfig): ("apple" | "fcmv1")[] {
  return [...(app.apns ? (["apple"] as const) : []), ...(app.fcmV1 ? (["fcmv1"] as const) : [])];
}

/** Every app's hubs as the push sender reaches them, in the order createAppHubs made them (the linked app first). */
export function senderAppHubs(appHubs: readonly AppHub[]): PushAppHubs[] {
  const apps = [...new Set(appHubs.map((h) => h.app))];
  return apps.map((app) => ({
    app: app.name,
    platforms: platformsOf(app),
    hubSku: app.hubSku,
    messagePreview: app.messagePreview,
    growingFrom: app.growingFrom,
    hubs: appHubs
      .filter((h) => h.app === app)
      .map(({ hub }) => ({ hubName: hub.hubName, sendRuleId: hub.sendRuleId, registrationRuleId: hub.registrationRuleId })),
  }));
}
