import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider of a dynamic resource type, made once and given to every resource of the type that
 * passes no provider options (tests pass options to reach their fakes; those get a provider of their
 * own). The SDK serializes a dynamic provider — its code and all it captures, found through V8's
 * inspector — once per provider object: with one object per type, a `pulumi preview` serializes each
 * type once instead of once per resource (a stack with two apps and partitions has a dozen hub key
 * secrets), and a process planning several stacks serializes it once in all.
 */
export function sharedProvider<Options>(
  create: (options?: Options) => pulumi.dynamic.ResourceProvider,
): (options?: Options) => pulumi.dynamic.ResourceProvider {
  let shared: pulumi.dynamic.ResourceProvider | undefined;
  return (options) => (options === undefined ? (shared ??= create()) : create(options));
}
