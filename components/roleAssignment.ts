import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { BUILT_IN_ROLES, roleDefinitionId } from "../azure/roles";

export interface RoleAssignmentArgs {
  /** The resource the role applies to. */
  readonly scope: pulumi.Input<string>;
  /** A managed identity's principal. */
  readonly principalId: pulumi.Input<string>;
  readonly role: keyof typeof BUILT_IN_ROLES;
  /** The subscription whose role definitions are meant (the deploying identity's). */
  readonly subscriptionId: pulumi.Input<string>;
}

/** One built-in role for a managed identity: the only kind of grant this project makes. */
export function assignRole(
  name: string,
  args: RoleAssignmentArgs,
  opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      scope: args.scope,
      principalId: args.principalId,
      principalType: authorization.PrincipalType.ServicePrincipal,
      roleDefinitionId: pulumi.output(args.subscriptionId).apply((sub) => roleDefinitionId(sub, args.role)),
    },
    opts,
  );
}
