import { readSettings } from "../../function/src/settings";
import { SETTINGS } from "../../function/src/contract";

const CS = "Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=c2VjcmV0LWtleS0xMjM0NTY3ODkw";

describe("push sender settings", () => {
  const good = { [SETTINGS.connectionString]: CS, [SETTINGS.hubName]: "hub" };

  it("reads defaults: both platforms, no previews, chat pushed", () => {
    expect(readSettings(good)).toMatchObject({
      platforms: ["apple", "fcmv1"],
      includePreview: false,
      sendChatMessages: true,
      hubName: "hub",
    });
  });

  it("reads what the component sets", () => {
    const s = readSettings({
      ...good,
      [SETTINGS.platforms]: "fcmv1",
      [SETTINGS.messagePreview]: "true",
      [SETTINGS.chatMessages]: "false",
    });
    expect(s).toMatchObject({ platforms: ["fcmv1"], includePreview: true, sendChatMessages: false });
  });

  it("lists every bad setting by name and never shows the connection string", () => {
    const unresolved = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/hub)";
    let message = "";
    try {
      readSettings({ [SETTINGS.connectionString]: unresolved, [SETTINGS.platforms]: "apns" });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of [SETTINGS.connectionString, SETTINGS.hubName, SETTINGS.platforms]) expect(message).toContain(name);
    expect(message).toMatch(/is the Key Vault reference resolved/);
    expect(message).not.toContain("kv.vault.azure.net");
  });
});
