import type { FakeResource } from "../policies/harness";
import { urnOf } from "../policies/harness";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

/** A `pulumi stack export` document for fake resources; `secretProps` are stored encrypted, as the CLI does. */
export function stackExport(resources: FakeResource[], secretProps: string[] = []): object {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-11-28T00:00:00Z", magic: "x", version: "v3.200.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:x" } },
      resources: [
        {
          urn: `urn:pulumi:${resources[0]?.stack ?? "dev"}::acs-notifications::pulumi:providers:azure-native::default`,
          custom: true,
          type: "pulumi:providers:azure-native",
        },
        ...resources.map((r) => {
          const inputs: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(r.props))
            inputs[k] = secretProps.includes(k) ? { [SIG]: SECRET, ciphertext: "v1:AAAA" } : v;
          return {
            urn: urnOf(r),
            custom: true,
            type: r.type,
            inputs,
            outputs: { ...inputs, id: r.props.id ?? `/fake/${r.name}` },
            dependencies: r.dependencies ?? [],
            propertyDependencies: r.propertyDependencies ?? {},
          };
        }),
      ],
    },
  };
}
