import type { Policies } from "@pulumi/policy";
import { apnsEndpointMatchesEnvironment, apnsTokenAuthRequired } from "./apns";
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
];
