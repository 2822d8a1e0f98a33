import { stackRule, StackFinding, StackResourceView } from "../framework/policyDefinition";
import { read } from "../framework/props";
import { isAppHub } from "../framework/resourceTypes";

/**
 * Devices one Notification Hubs namespace holds, per tier (Notification Hubs FAQ). A copy of
 * azure/hubCapacity.ts's (the pack is published alone); a test holds them equal.
 */
export const DEVICES_PER_NAMESPACE: Readonly<Record<string, number>> = { Free: 500, Basic: 200_000, Standard: 10_000_000 };

interface Placement {
  readonly resource: StackResourceView;
  readonly app: string;
  readonly partition: number;
  readonly partitions: number;
  readonly expectedDevices?: number;
  readonly linked: boolean;
  readonly sku: string;
}

/** This project's hub components that say which app and partition they serve. */
function placements(resources: readonly StackResourceView[]): Placement[] {
  return resources.flatMap((resource) => {
    if (!isAppHub(resource.type)) return [];
    const app = read(resource.props, "app");
    const partition = read(resource.props, "partition");
    const partitions = read(resource.props, "partitions");
    if (typeof app !== "string" || typeof partition !== "number" || typeof partitions !== "number") return [];
    const expected = read(resource.props, "expectedDevices");
    const sku = read(resource.props, "sku");
    return [
      {
        resource,
        app,
        partition,
        partitions,
        expectedDevices: typeof expected === "number" ? expected : undefined,
        linked: read(resource.props, "linked") === true,
        sku: typeof sku === "string" ? sku : "Free",
      },
    ];
  });
}

/** Device quotas are per namespace: an app needs enough partitions (namespaces) of its tier for its devices. */
export const appHubsHoldExpectedDevices = stackRule(
  {
    name: "app-hubs-hold-expected-devices",
    description: "An app's hub partitions, at their tier, must hold the devices the app expects.",
    severity: "medium",
    enforcementLevel: "advisory",
    docs: {
      why: "Notification Hubs quotas devices per namespace (Free 500, Basic 200,000, Standard 10 million, Notification Hubs FAQ); past it registrations fail and users get no pushes.",
      checks:
        "for each app (this project's hub components), `expectedDevices` ≤ 90 % of partitions × the tier's devices per namespace.",
      fix: "raise the app's `partitions` (growing moves about 1/(N+1) of the users, with no lost push) or its `hubSku`.",
    },
    remediationSteps:
      "Add partitions to the app (apps[].partitions, with growingFrom while devices move) or choose a higher hubSku.",
  },
  (graph) => {
    const byApp = new Map<string, Placement[]>();
    for (const p of placements(graph.resources)) byApp.set(p.app, [...(byApp.get(p.app) ?? []), p]);
    const findings: StackFinding[] = [];
    for (const [app, hubs] of byApp) {
      const first = hubs.find((h) => h.partition === 0) ?? hubs[0];
      if (first.expectedDevices === undefined) continue;
      const perNamespace = DEVICES_PER_NAMESPACE[first.sku] ?? DEVICES_PER_NAMESPACE.Free;
      const usable = Math.floor(perNamespace * hubs.length * 0.9);
      if (first.expectedDevices <= usable) continue;
      const needed = Math.ceil(first.expectedDevices / (perNamespace * 0.9));
      findings.push({
        urn: first.resource.urn,
        message: `App '${app}' expects ${first.expectedDevices} devices, but ${hubs.length} ${first.sku} namespace(s) hold ${perNamespace * hubs.length} (${perNamespace} each): with 10 % headroom it needs ${needed} partitions${first.sku === "Standard" ? "" : " or a higher tier"}.`,
      });
    }
    return findings;
  },
);

/** linkNotificationHub links one hub: with several apps, exactly one hub — an app's first partition — is the linked one. */
export const oneLinkedApp = stackRule(
  {
    name: "one-linked-app",
    description: "With several apps, exactly one app's first hub partition is linked to ACS.",
    severity: "high",
    enforcementLevel: "mandatory",
    docs: {
      why: "ACS links one hub (`linkNotificationHub`): native calling and chat pushes reach that app alone; registrations the ACS SDK makes land in that hub, not in other partitions.",
      checks: "among this project's hub components, exactly one is marked linked, and it is partition 0 of its app.",
      fix: "name the linked app with `nativeApp`.",
    },
    remediationSteps: "Set acs-notifications:nativeApp to the app whose hub ACS links.",
  },
  (graph) => {
    const hubs = placements(graph.resources);
    if (hubs.length === 0) return [];
    const linked = hubs.filter((h) => h.linked);
    if (linked.length === 1 && linked[0].partition === 0) return [];
    const apps = [...new Set(hubs.map((h) => h.app))].join(", ");
    if (linked.length === 0)
      return [
        {
          urn: hubs[0].resource.urn,
          message: `No hub of the apps (${apps}) is linked to ACS: name the linked app with nativeApp.`,
        },
      ];
    return linked.map((h) => ({
      urn: h.resource.urn,
      message:
        linked.length > 1
          ? `Hub '${h.resource.name}' (${h.app}, partition ${h.partition}) is one of ${linked.length} hubs marked linked: ACS links exactly one.`
          : `Hub '${h.resource.name}' (${h.app}, partition ${h.partition}) is linked, but only an app's first partition may be: ACS's own registrations go to the linked hub.`,
    }));
  },
);
