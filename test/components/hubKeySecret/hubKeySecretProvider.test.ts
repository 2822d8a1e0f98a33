import type { TokenCredential } from "@azure/identity";
import { connectionStringFingerprint } from "../../../azure/hubConnectionString";
import {
  createHubKeySecretProvider,
  HubKeySecretInputs,
  HubKeySecretOutputs,
  validateHubKeySecretInputs,
} from "../../../components/hubKeySecret/hubKeySecretProvider";
import { armExample } from "../../support/azureFixtures";
import { armError, useFakeArm } from "../../support/fakeArm";
import { LOCALHOST_CA } from "../../support/tlsFake";

// The hub's keys go from its rule into Key Vault inside the deploying process: listKeys (ARM),
// the secret PUT (ARM, as Contributor may), and for delete the vault's data plane — each against
// Azure's published examples of those calls.
const SUB = "11111111-1111-1111-1111-111111111111";
const HUB_ID = `/subscriptions/${SUB}/resourceGroups/rg-push/providers/Microsoft.NotificationHubs/namespaces/nh-dev/notificationHubs/hub-dev`;
const RULE_ID = `${HUB_ID}/authorizationRules/push-send`;
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-push/providers/Microsoft.KeyVault/vaults/acsnotif-kv`;
const KEY = "c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItbGVhay0xMjM0NTY3ODkwYWJjZA==";
const CONNECTION_STRING = `Endpoint=sb://nh-dev.servicebus.windows.net/;SharedAccessKeyName=push-send;SharedAccessKey=${KEY}`;
const ROTATED = CONNECTION_STRING.replace(KEY, "cm90YXRlZC1rZXktdGhhdC1tdXN0LW5ldmVyLWxlYWstOTg3NjU0MzIxMA==");
const inputs: HubKeySecretInputs = { authorizationRuleId: RULE_ID, vaultId: VAULT_ID, secretName: "notification-hub-send" };

const staticCredential: TokenCredential = {
  getToken: async () => ({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("HubKeySecret provider against a local ARM and vault", () => {
  const arm = useFakeArm();
  const provider = createHubKeySecretProvider({
    credential: () => staticCredential,
    pipelineOptions: { tlsOptions: { ca: LOCALHOST_CA } },
    retryOptions: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  });

  beforeEach(() => {
    arm.reset();
    arm.addRuleKey(RULE_ID, CONNECTION_STRING);
  });

  it("create reads the rule's key and writes it with ARM's secret PUT; its outputs hold no key", async () => {
    const { id, outs } = await provider.create!(inputs);
    expect(id).toBe(`${VAULT_ID}/secrets/notification-hub-send`);
    expect(arm.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${RULE_ID}/listKeys`,
      `PUT ${VAULT_ID}/secrets/notification-hub-send`,
    ]);
    const published = armExample("keyvault/createSecret.json");
    expect(arm.requests[1].apiVersion).toBe(published.parameters["api-version"]);
    expect(Object.keys(arm.requests[1].body as object)).toEqual(Object.keys(published.parameters.parameters as object));
    expect(arm.secrets.get("notification-hub-send")?.value).toBe(CONNECTION_STRING);
    expect(outs).toMatchObject({
      secretUri: `${arm.endpoint}/secrets/notification-hub-send`,
      secretUriWithVersion: expect.stringMatching(new RegExp(`^${arm.endpoint}/secrets/notification-hub-send/[0-9a-f]{32}$`)),
      keyFingerprint: connectionStringFingerprint(CONNECTION_STRING),
    });
    expect(JSON.stringify(outs)).not.toContain(KEY);
  });

  describe("diff", () => {
    let olds: HubKeySecretOutputs;
    beforeEach(async () => {
      olds = (await provider.create!(inputs)).outs as HubKeySecretOutputs;
    });

    it("sees no change when the key is the same", async () => {
      expect(await provider.diff!("id", olds, inputs)).toEqual({ changes: false, replaces: [] });
    });
    it("sees a regenerated key (as the deploying identity), so `up` writes a new version", async () => {
      arm.addRuleKey(RULE_ID, ROTATED);
      expect(await provider.diff!("id", olds, inputs)).toEqual({ changes: true, replaces: [] });
      const { outs } = await provider.update!("id", olds, inputs);
      expect(outs.secretUriWithVersion).not.toBe(olds.secretUriWithVersion);
      expect(arm.secrets.get("notification-hub-send")).toEqual({ value: ROTATED, versions: 2 });
    });
    it("sees no change where the key cannot be read: the preview identity holds no key", async () => {
      arm.addRuleKey(RULE_ID, ROTATED);
      arm.refuseListKeys = true;
      expect(await provider.diff!("id", olds, inputs)).toEqual({ changes: false, replaces: [] });
    });
    it("fails, naming the rule, when the key read fails otherwise, rather than keep a stale secret", async () => {
      arm.listKeysAnswer = armError(503, "ServiceUnavailable", "Try later.");
      await expect(provider.diff!("id", olds, inputs)).rejects.toThrow(/Reading the keys of .*push-send failed \(HTTP 503\)/);
    });
    it("replaces when the vault or the secret's name changes", async () => {
      const other = VAULT_ID.replace("acsnotif-kv", "other-kv");
      expect(await provider.diff!("id", olds, { ...inputs, vaultId: other })).toEqual({ changes: true, replaces: ["vaultId"] });
    });
  });

  it("delete removes the secret through the vault's data plane (ARM has no DELETE for secrets)", async () => {
    const { outs } = await provider.create!(inputs);
    arm.requests.length = 0;
    await provider.delete!("id", outs);
    expect(arm.requests.map((r) => `${r.method} ${r.path} ${r.apiVersion}`)).toEqual([
      "DELETE /secrets/notification-hub-send 7.5",
    ]);
    expect(arm.secrets.has("notification-hub-send")).toBe(false);
    // Gone already: nothing to do, no error.
    await provider.delete!("id", outs);
  });

  it("says what the deploying identity lacks when the key cannot be read, and writes nothing", async () => {
    arm.refuseListKeys = true;
    await expect(provider.create!(inputs)).rejects.toThrow(
      /Reading the keys of .*push-send was refused \(HTTP 403\).*listKeys\/action/,
    );
    expect(arm.secrets.size).toBe(0);
  });

  it("names every invalid input before calling Azure", async () => {
    const failures = validateHubKeySecretInputs({ authorizationRuleId: HUB_ID, vaultId: "kv", secretName: "has space" });
    expect(failures.map((f) => f.property)).toEqual(["authorizationRuleId", "vaultId", "secretName"]);
    await expect(provider.create!({ ...inputs, vaultId: "kv" })).rejects.toThrow(/vaultId must be the ARM id of a Key Vault/);
    expect(arm.requests).toHaveLength(0);
  });
});
