// The CrossGuard entry point: `pulumi preview --policy-pack policies` runs this file, and the
// offline tools start it as a child process. Constructing the PolicyPack starts the analyzer's
// gRPC server, so the rules live in ./rules where tests can import them without a server.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

new PolicyPack("acs-notifications", {
  description:
    "Guardrails for Azure Communication Services push notifications: what breaks pushes is stopped before it reaches Azure.",
  enforcementLevel: "advisory",
  policies: allPolicies,
});
