import * as pulumi from "@pulumi/pulumi";

/** True for a value not known yet during a preview, in any of the forms the runtime hands out. */
export function isUnknownValue(value: unknown): boolean {
  return (
    pulumi.Output.isInstance(value) ||
    (typeof value === "object" && value !== null && "__pulumiUnknown" in value) ||
    value === pulumi.runtime.unknownValue
  );
}

/**
 * Rebuilds a registered property value, replacing secrets and unknowns the way the caller says
 * (the plan masks them, the analyzer gets them in wire form) and dropping undefined fields.
 */
export function mapPropertyValue(value: unknown, replace: { secret: (inner: unknown) => unknown; unknown: unknown }): unknown {
  const walk = (v: unknown): unknown => {
    if (pulumi.runtime.isRpcSecret(v)) return replace.secret(walk(pulumi.runtime.unwrapRpcSecret(v)));
    if (isUnknownValue(v)) return replace.unknown;
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => [k, walk(x)]),
      );
    }
    return v;
  };
  return walk(value);
}
