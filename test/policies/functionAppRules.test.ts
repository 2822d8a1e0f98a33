import { functionAppHardened, functionNoPlaintextHubConnectionString } from "../../policies/rules/functionApp";
import { CONNECTION_STRING } from "./fixtures";
import { FakeResource, runResourceRule, UNKNOWN_OBJECT, UNKNOWN_STRING } from "./harness";

const nativeApp = (props: Record<string, unknown>): FakeResource => ({
  type: "azure-native:web:WebApp",
  name: "push-sender",
  props: { kind: "functionapp,linux", ...props },
});
const classicApp = (props: Record<string, unknown>): FakeResource => ({
  type: "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
  name: "push-sender",
  props,
});
const hardenedSite = { minTlsVersion: "1.2", ftpsState: "Disabled" };
const identity = { type: "SystemAssigned" };

describe("function-app-hardened, in detail", () => {
  it("lists every gap in one message, in the order of the fix", () => {
    expect(runResourceRule(functionAppHardened, nativeApp({ httpsOnly: false, siteConfig: {} }))).toEqual([
      "Function App 'push-sender' is not hardened: httpsOnly is not true; minimum TLS is not set (needs 1.2 or 1.3); ftpsState is not set (needs Disabled); no managed identity.",
    ]);
  });

  it("accepts TLS 1.3 and any assigned identity, including user-assigned", () => {
    const app = nativeApp({
      httpsOnly: true,
      identity: { type: "UserAssigned" },
      siteConfig: { ...hardenedSite, minTlsVersion: "1.3" },
    });
    expect(runResourceRule(functionAppHardened, app)).toEqual([]);
    const none = nativeApp({ httpsOnly: true, identity: { type: "None" }, siteConfig: hardenedSite });
    expect(runResourceRule(functionAppHardened, none)).toEqual([
      "Function App 'push-sender' is not hardened: no managed identity.",
    ]);
  });

  it("trusts the classic provider's defaults for TLS and FTPS, never an explicit weak value", () => {
    expect(runResourceRule(functionAppHardened, classicApp({ httpsOnly: true, identity, siteConfig: {} }))).toEqual([]);
    expect(
      runResourceRule(functionAppHardened, classicApp({ httpsOnly: true, identity, siteConfig: { ftpsState: "FtpsOnly" } })),
    ).toEqual(["Function App 'push-sender' is not hardened: ftpsState is FtpsOnly (needs Disabled)."]);
    expect(
      runResourceRule(
        functionAppHardened,
        classicApp({ httpsOnly: true, identity, siteConfig: { minimumTlsVersion: "1.2", ftpsState: "Disabled" } }),
      ),
    ).toEqual([]);
  });

  it("does not guess while a value is not known yet", () => {
    const app = nativeApp({
      httpsOnly: UNKNOWN_STRING,
      identity: { type: UNKNOWN_STRING },
      siteConfig: { minTlsVersion: UNKNOWN_STRING, ftpsState: UNKNOWN_STRING },
    });
    expect(runResourceRule(functionAppHardened, app)).toEqual([]);
  });
});

describe("function-no-plaintext-hub-connection-string, in detail", () => {
  const leak = (resource: FakeResource) => runResourceRule(functionNoPlaintextHubConnectionString, resource);

  it("names every leaking setting, an unnamed one as such, and never the value", () => {
    const app = nativeApp({
      siteConfig: {
        appSettings: [
          { name: "HUB", value: CONNECTION_STRING },
          { name: "SAFE", value: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/hub-send)" },
          { value: `  ${CONNECTION_STRING}` },
        ],
      },
    });
    const [message] = leak(app);
    expect(message).toBe(
      "'push-sender' holds a Notification Hubs connection string in app setting HUB, (unnamed): use a Key Vault reference (@Microsoft.KeyVault(SecretUri=…)) instead. The value is not shown.",
    );
  });

  it("reads nothing from settings that are absent or not known yet", () => {
    expect(leak(nativeApp({ siteConfig: {} }))).toEqual([]);
    expect(leak(nativeApp({ siteConfig: { appSettings: UNKNOWN_OBJECT } }))).toEqual([]);
    expect(leak(classicApp({}))).toEqual([]);
    expect(leak(classicApp({ appSettings: UNKNOWN_OBJECT }))).toEqual([]);
    const settings: FakeResource = { type: "azure-native:web:WebAppApplicationSettings", name: "s", props: {} };
    expect(leak(settings)).toEqual([]);
  });
});
