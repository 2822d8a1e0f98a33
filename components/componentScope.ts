import * as pulumi from "@pulumi/pulumi";

/**
 * What each group of a component's resources is made with — the component's name, its arguments,
 * the options its children share — so that the constructor reads as a list of named groups.
 */
export interface ComponentScope<Args> {
  readonly name: string;
  readonly args: Args;
  readonly child: pulumi.CustomResourceOptions;
}
