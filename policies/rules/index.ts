import type { Policies, ResourceValidationPolicy } from "@pulumi/policy";
import { typesCheckedBy } from "../framework/policyDefinition";
import { apnsEndpointMatchesEnvironment, apnsTokenAuthRequired } from "./apns";
import { appHubsHoldExpectedDevices, oneLinkedApp } from "./apps";
import { noDuplicateChatPush } from "./chatPush";
import { eventGridAcsSubscriptionResilient, eventGridFunctionOneEventPerBatch } from "./eventGrid";
import { fcmV1Required } from "./fcm";
import { functionAppHardened, functionNoPlaintextHubConnectionString } from "./functionApp";
import {
  hubHasPlatformCredentials,
  hubRuleWithoutManage,
  linkRuleSendOnly,
  linkSameSubscription,
  linkTracksConnectionString,
} from "./hubLink";

/** Every rule of the pack, in the order reports list them. */
export const allPolicies: Policies = [
  apnsTokenAuthRequired,
  apnsEndpointMatchesEnvironment,
  fcmV1Required,
  hubHasPlatformCredentials,
  linkRuleSendOnly,
  hubRuleWithoutManage,
  linkSameSubscription,
  linkTracksConnectionString,
  eventGridAcsSubscriptionResilient,
  eventGridFunctionOneEventPerBatch,
  functionAppHardened,
  functionNoPlaintextHubConnectionString,
  noDuplicateChatPush,
  oneLinkedApp,
  appHubsHoldExpectedDevices,
];

/**
 * Whether any resource rule of the pack checks resources of this type. A resource for which this
 * is false gets no finding from the per-resource analysis, so a client may leave it out of the
 * Analyze calls (it still goes to AnalyzeStack). A policy not made by resourceRule counts as
 * checking every type.
 */
export function anyResourceRuleChecks(type: string, policies: Policies = allPolicies): boolean {
  return policies.some((p) => {
    if (!("validateResource" in p)) return false;
    const types = typesCheckedBy(p as ResourceValidationPolicy);
    return types === undefined || types(type);
  });
}
