import * as pulumi from "@pulumi/pulumi";
import { createOneDeployProvider, OneDeployOptions } from "./oneDeployProvider";
import { DYNAMIC_TYPE_NAMES } from "../resourceTypes";
import { sharedProvider } from "../sharedProvider";

// One provider object for all resources of this type (see sharedProvider).
const oneDeployProvider = sharedProvider(createOneDeployProvider);

export interface FunctionCodeDeploymentArgs {
  readonly functionAppId: pulumi.Input<string>;
  readonly scmHost: pulumi.Input<string>;
  readonly packagePath: pulumi.Input<string>;
  readonly packageSha256: pulumi.Input<string>;
}

/** The push sender's code on the Function App, deployed with OneDeploy; redeployed only when the package hash changes. */
export class FunctionCodeDeployment extends pulumi.dynamic.Resource {
  declare public readonly packageSha256: pulumi.Output<string>;
  declare public readonly deployedAt: pulumi.Output<string>;

  constructor(
    name: string,
    args: FunctionCodeDeploymentArgs,
    opts?: pulumi.CustomResourceOptions,
    providerOptions?: OneDeployOptions,
  ) {
    super(
      oneDeployProvider(providerOptions),
      name,
      { ...args, deployedAt: undefined },
      opts,
      undefined,
      DYNAMIC_TYPE_NAMES.functionCodeDeployment,
    );
  }
}
