import type { StackResourceView } from "./policyDefinition";
import { readString, UNKNOWN } from "./props";
import { isHub, isHubLink, isHubRule } from "./resourceTypes";

/** Lookups across a stack's resources that several rules share. */
export class StackGraph {
  private readonly byUrn: Map<string, StackResourceView>;

  constructor(readonly resources: StackResourceView[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
  }

  private linksCache: StackResourceView[] | undefined;

  links(): StackResourceView[] {
    return (this.linksCache ??= this.resources.filter((r) => isHubLink(r.type)));
  }

  /** Resources a property of `resource` is built from, or all its dependencies when the engine gave no per-property detail. */
  sourcesOf(resource: StackResourceView, property: string): StackResourceView[] {
    const urns = resource.propertyDependencies[property] ?? resource.dependencies;
    // The engine only names resources of this stack; the filter keeps a hand-made export from breaking the rules.
    // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent for every engine-produced stack.
    return urns.map((u) => this.byUrn.get(u)).filter((r): r is StackResourceView => r !== undefined);
  }

  /** The hubs a link points at: by dependency, or by a known resource id. */
  hubsOfLink(link: StackResourceView): StackResourceView[] {
    const hubId = readString(link.props, "notificationHubId");
    const byDependency = this.sourcesOf(link, "notificationHubId").filter((r) => isHub(r.type));
    const byId = hubId === UNKNOWN || hubId === undefined ? [] : (this.hubsById().get(hubId.toLowerCase()) ?? []);
    return [...new Set([...byDependency, ...byId])];
  }

  private hubsByIdCache: Map<string, StackResourceView[]> | undefined;

  /** Hubs by lower-cased resource id, built once: a scan per link is quadratic on a large stack. */
  private hubsById(): Map<string, StackResourceView[]> {
    return (this.hubsByIdCache ??= this.indexHubsById());
  }

  private indexHubsById(): Map<string, StackResourceView[]> {
    const index = new Map<string, StackResourceView[]>();
    for (const r of this.resources) {
      if (!isHub(r.type)) continue;
      const id = readString(r.props, "id");
      if (typeof id !== "string") continue;
      const key = id.toLowerCase();
      index.set(key, [...(index.get(key) ?? []), r]);
    }
    return index;
  }

  /**
   * The access rules whose key a link uses: the rule it names (`authorizationRuleId`, whose key its
   * provider reads), or — in state an earlier version wrote — the rule its `connectionString` came from.
   */
  rulesOfLink(link: StackResourceView): StackResourceView[] {
    const property = "authorizationRuleId" in link.props ? "authorizationRuleId" : "connectionString";
    return this.sourcesOf(link, property).filter((r) => isHubRule(r.type));
  }
}
