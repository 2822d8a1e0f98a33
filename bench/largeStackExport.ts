import { compliantStack } from "../test/policies/fixtures";
import type { FakeResource } from "../test/policies/harness";
import { stackExport } from "../test/support/stackExport";

// What fills a large estate besides push stacks, in rough proportion; web apps are the one type
// here that a resource rule of the pack also checks (it looks for function apps among them).
const OTHER_TYPES = [
  "azure-native:authorization:RoleAssignment",
  "azure-native:network:NetworkInterface",
  "azure-native:compute:Disk",
  "azure-native:compute:VirtualMachine",
  "azure-native:network:PrivateDnsZoneRecordSet",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Secret",
  "azure-native:insights:MetricAlert",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:web:WebApp",
];

/**
 * A `pulumi stack export` of a large estate: 250 copies of this project's resources (a push stack
 * per tenant or region, names made unique; 2,000 resources) and ordinary resources of other types
 * up to `total`, with the link's connection string stored encrypted as the CLI stores it.
 */
export function largeStackExport(total: number, pushStacks = 250): object {
  const resources: FakeResource[] = [];
  const pushSet = Object.values(compliantStack("prod"));
  for (let i = 0; i < pushStacks && resources.length + pushSet.length < total; i++) {
    for (const r of pushSet) resources.push({ ...r, name: `${r.name}-${i}`, dependencies: [], propertyDependencies: {} });
  }
  for (let i = resources.length; i < total - 1; i++) {
    const type = OTHER_TYPES[i % OTHER_TYPES.length];
    resources.push({
      stack: "prod",
      type,
      name: `other-${i}`,
      props: {
        location: "westeurope",
        tags: { environment: "prod", owner: "platform-team", costCenter: "CC-1234" },
        ...(type.endsWith(":WebApp")
          ? {
              kind: "app,linux",
              httpsOnly: true,
              siteConfig: { minTlsVersion: "1.2", appSettings: [{ name: "A", value: "b".repeat(40) }] },
            }
          : { sku: { name: "Standard" }, properties: { description: `resource ${i}`, enabled: true } }),
      },
    });
  }
  return stackExport(resources, ["connectionString"]);
}
