import type { TokenCredential } from "@azure/identity";
import { ARM_ENDPOINT_ENV } from "../../../azure/armEndpoint";
import {
  createDeletedVaultPurgeProvider,
  DeletedVaultInputs,
  KEYVAULT_API_VERSION,
} from "../../../components/vaultPurge/deletedVaultPurgeProvider";
import { FakeKeyVaultArm } from "../../support/fakeKeyVaultArm";
import { LOCALHOST_CA as ca } from "../../support/tlsFake";
const SUB = "00000000-0000-0000-0000-000000000000";
const RG_ID = `/subscriptions/${SUB}/resourceGroups/acsnotif-dev-rg`;
const inputs: DeletedVaultInputs = {
  subscriptionId: SUB,
  location: "West Europe",
  vaultName: "acsnotif-dev-1a2b3c4d",
  resourceGroupId: RG_ID,
};
const credential: TokenCredential = {
  getToken: async () => ({ token: "arm-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe("freeing a Key Vault name held by this stack's soft-deleted vault", () => {
  const arm = new FakeKeyVaultArm();
  const provider = createDeletedVaultPurgeProvider({
    credential: () => credential,
    pipelineOptions: { tlsOptions: { ca }, retryOptions: { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 } },
    pollIntervalMs: 5,
    pollTimeoutMs: 2_000,
  });
  const ownDeletedVault = () => ({
    vaultId: `${RG_ID}/providers/Microsoft.KeyVault/vaults/${inputs.vaultName}`,
    purgeProtectionEnabled: false,
  });

  beforeAll(async () => {
    await arm.start();
    process.env[ARM_ENDPOINT_ENV] = arm.endpoint;
  });
  afterAll(async () => {
    delete process.env[ARM_ENDPOINT_ENV];
    await arm.stop();
  });
  beforeEach(() => arm.reset());

  it("does nothing when no deleted vault holds the name", async () => {
    const { outs } = await provider.create!(inputs);
    expect(outs.purged).toBe(false);
    expect(arm.requests).toEqual([
      {
        method: "GET",
        path: `/subscriptions/${SUB}/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/${inputs.vaultName}`,
        apiVersion: KEYVAULT_API_VERSION,
      },
    ]);
  });

  it("purges this stack's own deleted vault and waits for the purge (destroy, then up)", async () => {
    arm.deleted = ownDeletedVault();
    const { outs } = await provider.create!(inputs);
    expect(outs.purged).toBe(true);
    expect(arm.requests.map((r) => r.method)).toEqual(["GET", "POST", "GET", "GET"]);
    expect(arm.requests[1].path).toMatch(/\/deletedVaults\/acsnotif-dev-1a2b3c4d\/purge$/);
  });

  it("never purges a deleted vault of the same name from another resource group", async () => {
    arm.deleted = {
      vaultId: `/subscriptions/${SUB}/resourceGroups/someone-else/providers/Microsoft.KeyVault/vaults/${inputs.vaultName}`,
    };
    await expect(provider.create!(inputs)).rejects.toThrow(/belongs to .*someone-else.*it is not purged.*globalNamePrefix/);
    expect(arm.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("explains a vault held by purge protection (the published example's case)", async () => {
    arm.deleted = { ...ownDeletedVault(), purgeProtectionEnabled: true, scheduledPurgeDate: "2027-02-26T10:00:00Z" };
    await expect(provider.create!(inputs)).rejects.toThrow(
      /purge protection and keeps its name until 2027-02-26T10:00:00Z: recover it/,
    );
  });

  it("refuses to send its ARM token to a host ARM's own endpoint is not (the published Location, unchanged)", async () => {
    arm.deleted = ownDeletedVault();
    arm.publishedLocationAsIs = true;
    const error = await provider.create!(inputs).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/refusing to send an ARM token to https:\/\/some\.endpoint\.com/);
  });

  it("runs again when the name or location changes, not otherwise", async () => {
    const olds = { ...inputs, purged: false };
    expect((await provider.diff!("id", olds, inputs)).changes).toBe(false);
    expect((await provider.diff!("id", olds, { ...inputs, vaultName: "other" })).changes).toBe(true);
    expect((await provider.diff!("id", olds, { ...inputs, location: "northeurope" })).changes).toBe(true);
  });
});
