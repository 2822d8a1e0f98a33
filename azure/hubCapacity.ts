/**
 * How many devices one Notification Hubs namespace holds, per tier, as Microsoft's Notification
 * Hubs FAQ publishes them ("500 devices", "200,000 devices", "10 million devices" included per
 * namespace; beyond that, "partition your devices across multiple hubs"). Every partition of an app
 * is a namespace of its own, so an app holds partitions × this. test/azure/hubCapacity.test.ts
 * holds these figures to the FAQ's text (test/fixtures/azure/notificationhubs/faq-tiers.md).
 */
export const DEVICES_PER_NAMESPACE = { Free: 500, Basic: 200_000, Standard: 10_000_000 } as const;

export type HubTier = keyof typeof DEVICES_PER_NAMESPACE;

/** What an app's hubs hold: one namespace per partition. */
export function appCapacity(tier: HubTier, partitions: number): number {
  return DEVICES_PER_NAMESPACE[tier] * partitions;
}

/**
 * A sentence when the expected devices do not fit (with the partitions that would hold them), or
 * undefined. Devices spread evenly across partitions (rendezvous hashing, within a few percent), so
 * 10 % of headroom per namespace is kept.
 */
export function capacityShortfall(app: string, tier: HubTier, partitions: number, expectedDevices: number): string | undefined {
  const usable = Math.floor(appCapacity(tier, partitions) * 0.9);
  if (expectedDevices <= usable) return undefined;
  const needed = Math.ceil(expectedDevices / (DEVICES_PER_NAMESPACE[tier] * 0.9));
  return (
    `app ${app} expects ${expectedDevices.toLocaleString("en-US")} devices; ${partitions} ${tier} namespace(s) hold ` +
    `${appCapacity(tier, partitions).toLocaleString("en-US")} (${DEVICES_PER_NAMESPACE[tier].toLocaleString("en-US")} each, ` +
    `Notification Hubs FAQ) — with 10 % headroom it needs ${needed} partitions` +
    (tier === "Standard" ? "" : ", or a higher tier")
  );
}
