import { createVaultNameSuffixProvider } from "../../../components/vaultNameSuffix/vaultNameSuffixProvider";
import { keyVaultName } from "../../../azure/globalNames";

// A vault's name carries a suffix drawn at creation: the next vault (after destroy, or a replacement)
// never takes the name a soft-deleted one keeps, so the stack never has to purge anything.
const RG = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/acsnotif-prod-rg";
const provider = createVaultNameSuffixProvider();

describe("the vault name suffix", () => {
  it("is drawn anew at every creation, so a re-created vault has a name no earlier one had", async () => {
    const suffixes = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const { outs } = await provider.create!({ resourceGroupId: RG, location: "westeurope" });
      expect(outs.suffix).toMatch(/^[0-9a-f]{8}$/);
      suffixes.add(outs.suffix);
    }
    expect(suffixes.size).toBe(50);
    const names = [...suffixes].map((s) => keyVaultName("acsnotif-prod", `${RG}|${s}`));
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9-]{2,23}$/);
    expect(new Set(names).size).toBe(50);
  });

  it("is replaced exactly when the vault would be: another group or region", async () => {
    const olds = { resourceGroupId: RG, location: "westeurope", suffix: "0123abcd" };
    expect(await provider.diff!("id", olds, { resourceGroupId: RG, location: "West Europe" })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await provider.diff!("id", olds, { resourceGroupId: RG, location: "northeurope" })).toEqual({
      changes: true,
      replaces: ["location"],
    });
    expect(await provider.diff!("id", olds, { resourceGroupId: RG.replace("prod", "staging"), location: "westeurope" })).toEqual({
      changes: true,
      replaces: ["resourceGroupId"],
    });
  });
});
