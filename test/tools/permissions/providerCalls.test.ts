import type { TokenCredential } from "@azure/identity";
import { createNotificationHubLinkProvider, LinkInputs, LinkOutputs } from "../../../components/link/notificationHubLinkProvider";
import {
  createHubKeySecretProvider,
  HubKeySecretInputs,
  HubKeySecretOutputs,
} from "../../../components/hubKeySecret/hubKeySecretProvider";
import { DYNAMIC_TYPE_NAMES, dynamicTypeToken } from "../../../components/resourceTypes";
import { armAction, HttpMethod } from "../../../tools/permissions/armActions";
import { deriveNeeds, Need, Stage } from "../../../tools/permissions/permissionModel";
import { ArmRequest, useFakeArm } from "../../support/fakeArm";
import { LOCALHOST_CA } from "../../support/tlsFake";

// The permission model writes down what the dynamic providers call; here the providers run against
// the local ARM (and the vault's data plane on the same host) and what they actually sent is turned
// into actions by the same convention, per provider method and the stage that runs it.
const SUB = "11111111-1111-1111-1111-111111111111";
const ACS_ID = `/subscriptions/${SUB}/resourceGroups/rg-push/providers/Microsoft.Communication/communicationServices/acs-dev`;
const HUB_ID = `/subscriptions/${SUB}/resourceGroups/rg-push/providers/Microsoft.NotificationHubs/namespaces/nh-dev/notificationHubs/hub-dev`;
const RULE_ID = `${HUB_ID}/authorizationRules/acs-send`;
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-push/providers/Microsoft.KeyVault/vaults/acsnotif-kv`;
const CONNECTION_STRING =
  "Endpoint=sb://nh-dev.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItbGVhay0xMjM0NTY3ODkwYWJjZA==";

const staticCredential: TokenCredential = {
  getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const retryOptions = { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 20 };

/**
 * A request as the action it needs. The vault's data plane (`/secrets/{name}` on the vault's host)
 * is authorized by data actions (Key Vault's RBAC guide: DeleteSecret is secrets/delete).
 */
function needed(request: ArmRequest): { kind: Need["kind"]; action: string } {
  if (request.path.startsWith("/secrets/") && request.method === "DELETE") {
    return { kind: "dataAction", action: "Microsoft.KeyVault/vaults/secrets/delete" };
  }
  return { kind: "action", action: armAction(request.method as HttpMethod, request.path) };
}

const sent = (requests: ArmRequest[]) =>
  [...new Set(requests.map((r) => JSON.stringify(needed(r))))]
    .map((s) => JSON.parse(s) as { kind: string; action: string })
    .sort((a, b) => a.action.localeCompare(b.action));

/** What the model says one stage needs for one dynamic type, refused-by-design calls included or not. */
function modelled(type: string, stage: Stage, refusals: "with" | "without" = "without") {
  return [
    ...new Set(
      deriveNeeds([{ type, custom: true }])
        .filter((n) => n.stage === stage && (refusals === "with" || !n.refusalExpected))
        .map((n) => JSON.stringify({ kind: n.kind, action: n.action })),
    ),
  ]
    .map((s) => JSON.parse(s) as { kind: string; action: string })
    .sort((a, b) => a.action.localeCompare(b.action));
}

describe("the model's dynamic-provider calls are the calls the providers send", () => {
  const arm = useFakeArm();

  beforeEach(() => {
    arm.reset();
    arm.addService(ACS_ID);
    arm.addRuleKey(RULE_ID, CONNECTION_STRING);
  });

  describe("NotificationHubLink", () => {
    const type = dynamicTypeToken(DYNAMIC_TYPE_NAMES.notificationHubLink);
    const provider = createNotificationHubLinkProvider({
      credential: () => staticCredential,
      clientOptions: { tlsOptions: { ca: LOCALHOST_CA }, retryOptions },
    });
    const inputs: LinkInputs = { communicationServiceId: ACS_ID, notificationHubId: HUB_ID, authorizationRuleId: RULE_ID };

    it("create and update: deploy", async () => {
      const { outs } = await provider.create!(inputs);
      await provider.update!("id", outs as LinkOutputs, inputs);
      expect(sent(arm.requests)).toEqual(modelled(type, "deploy (up)"));
    });

    it("read: the drift check", async () => {
      const { outs } = await provider.create!(inputs);
      arm.reset();
      arm.addService(ACS_ID, HUB_ID);
      await provider.read!("id", outs as LinkOutputs);
      expect(sent(arm.requests)).toEqual(modelled(type, "drift (preview --refresh)"));
    });

    it("diff: the pull-request preview, whose listKeys is refused by design", async () => {
      const { outs } = await provider.create!(inputs);
      arm.reset();
      arm.refuseListKeys = true;
      await provider.diff!("id", outs as LinkOutputs, inputs);
      expect(sent(arm.requests)).toEqual(modelled(type, "pull-request preview", "with"));
    });

    it("delete: nothing (ARM has no unlink), as the model says", async () => {
      await provider.delete!("id", {} as LinkOutputs);
      expect(arm.requests).toEqual([]);
      expect(modelled(type, "destroy")).toEqual([]);
    });
  });

  describe("HubKeySecret", () => {
    const type = dynamicTypeToken(DYNAMIC_TYPE_NAMES.hubKeySecret);
    const provider = createHubKeySecretProvider({
      credential: () => staticCredential,
      pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA } },
      retryOptions,
    });
    const inputs: HubKeySecretInputs = { authorizationRuleId: RULE_ID, vaultId: VAULT_ID, secretName: "notification-hub-send" };

    it("create and update: deploy", async () => {
      const { outs } = await provider.create!(inputs);
      await provider.update!("id", outs as HubKeySecretOutputs, inputs);
      expect(sent(arm.requests)).toEqual(modelled(type, "deploy (up)"));
    });

    it("diff: the pull-request preview, whose listKeys is refused by design", async () => {
      const { outs } = await provider.create!(inputs);
      arm.reset();
      arm.refuseListKeys = true;
      await provider.diff!("id", outs as HubKeySecretOutputs, inputs);
      expect(sent(arm.requests)).toEqual(modelled(type, "pull-request preview", "with"));
    });

    it("delete: destroy, through the vault's data plane", async () => {
      const { outs } = await provider.create!(inputs);
      arm.requests.length = 0;
      await provider.delete!("id", outs as HubKeySecretOutputs);
      expect(sent(arm.requests)).toEqual(modelled(type, "destroy"));
    });

    it("no read: the drift check sends nothing but the diff's refused listKeys", () => {
      expect(provider.read).toBeUndefined();
      expect(modelled(type, "drift (preview --refresh)")).toEqual([]);
    });
  });
});
