/**
 * How many devices one Notification Hubs namespace holds, per tier, as Microsoft's Notification
 * Hubs FAQ publishes them ("500 devices", "200,000 devices", "10 million devices" included per
 * namespace; beyond that, "partition your devices across multiple hubs"). Every partition of an app
 * is a namespace of its own, so an app holds partitions × this: the policy pack's
 * app-hubs-hold-expected-devices checks it with its own copy (the pack is published alone), which
 * test/policies/appsRules.test.ts holds equal to this; test/azure/hubCapacity.test.ts holds these
 * figures to the FAQ's text (test/fixtures/azure/notificationhubs/faq-tiers.md).
 */
export const DEVICES_PER_NAMESPACE = { Free: 500, Basic: 200_000, Standard: 10_000_000 } as const;
