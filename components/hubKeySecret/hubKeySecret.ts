import * as pulumi from "@pulumi/pulumi";
import { createHubKeySecretProvider, HubKeySecretOptions } from "./hubKeySecretProvider";
import { DYNAMIC_TYPE_NAMES } from "../resourceTypes";
import { sharedProvider } from "../sharedProvider";

// One provider object for all resources of this type (see sharedProvider).
const hubKeySecretProvider = sharedProvider(createHubKeySecretProvider);

export interface HubKeySecretArgs {
  /** ARM id of the hub authorization rule whose connection string the secret holds. */
  readonly authorizationRuleId: pulumi.Input<string>;
  /** ARM id of the Key Vault. */
  readonly vaultId: pulumi.Input<string>;
  readonly secretName: pulumi.Input<string>;
}

/**
 * A Key Vault secret holding a hub rule's connection string, written by the deploying process
 * (see the provider): the program and its state never hold the key, only the secret's URIs.
 */
export class HubKeySecret extends pulumi.dynamic.Resource {
  /** What a Key Vault reference names: a rotated key is a new version, so a new reference. */
  declare public readonly secretUriWithVersion: pulumi.Output<string>;
  declare public readonly secretUri: pulumi.Output<string>;
  declare public readonly keyFingerprint: pulumi.Output<string>;

  constructor(name: string, args: HubKeySecretArgs, opts?: pulumi.CustomResourceOptions, options?: HubKeySecretOptions) {
    super(
      hubKeySecretProvider(options),
      name,
      { ...args, secretUriWithVersion: undefined, secretUri: undefined, keyFingerprint: undefined },
      opts,
      undefined,
      DYNAMIC_TYPE_NAMES.hubKeySecret,
    );
  }
}
