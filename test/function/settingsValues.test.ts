import { readRegistrationSettings, readSettings } from "../../function/src/settings";

const CS = "Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=acs-send;SharedAccessKey=a2V5";
const base = { NOTIFICATION_HUB_CONNECTION_STRING: CS, NOTIFICATION_HUB_NAME: "hub" };
const CLIENT_A = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";
const CLIENT_B = "6B1C2D3E-4F50-4A61-8B72-9C8D7E6F5A4B";

describe("push sender settings, value by value", () => {
  it("reads true/false settings case-insensitively, empty as unset", () => {
    expect(readSettings({ ...base, PUSH_MESSAGE_PREVIEW: "TRUE", PUSH_CHAT_MESSAGES: "False" })).toMatchObject({
      includePreview: true,
      sendChatMessages: false,
    });
    expect(readSettings({ ...base, PUSH_MESSAGE_PREVIEW: "", PUSH_CHAT_MESSAGES: "" })).toMatchObject({
      includePreview: false,
      sendChatMessages: true,
    });
    expect(readSettings({ ...base, PUSH_MESSAGE_PREVIEW: "yes" })).toMatchObject({ includePreview: false });
  });

  it("accepts spaces after the connection string's separators, as the portal sometimes copies it", () => {
    const spaced = "Endpoint=sb://nh.servicebus.windows.net/; SharedAccessKeyName=acs-send; SharedAccessKey=a2V5";
    expect(readSettings({ ...base, NOTIFICATION_HUB_CONNECTION_STRING: spaced }).connectionString).toBe(spaced);
  });

  it("reads the platform list trimmed, skipping empty entries", () => {
    expect(readSettings({ ...base, PUSH_PLATFORMS: " fcmv1 , apple ,," }).platforms).toEqual(["fcmv1", "apple"]);
    expect(readSettings({ ...base, PUSH_PLATFORMS: "apple" }).platforms).toEqual(["apple"]);
  });

  it("lists every problem in one error, each by name", () => {
    expect(() => readSettings({ PUSH_PLATFORMS: ",," })).toThrow(
      "push sender settings are invalid: NOTIFICATION_HUB_CONNECTION_STRING must be a Notification Hubs connection string (is the Key Vault reference resolved?); NOTIFICATION_HUB_NAME must name the notification hub; PUSH_PLATFORMS must list apple and/or fcmv1",
    );
    expect(() => readSettings({ ...base, PUSH_PLATFORMS: "apple,apns" })).toThrow(
      /PUSH_PLATFORMS must list apple and\/or fcmv1$/,
    );
  });

  it("has a dead-letter container only when the setting has a value", () => {
    expect(readSettings({ ...base, PUSH_DEAD_LETTER_CONTAINER_URL: "" }).deadLetterUrl).toBeUndefined();
    expect(readSettings(base).deadLetterUrl).toBeUndefined();
    expect(readSettings({ ...base, PUSH_DEAD_LETTER_CONTAINER_URL: "https://st.blob.core.windows.net/dl" }).deadLetterUrl).toBe(
      "https://st.blob.core.windows.net/dl",
    );
  });
});

describe("registration settings, value by value", () => {
  const registration = {
    NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING: CS.replace("acs-send", "acs-register"),
    NOTIFICATION_HUB_NAME: "hub",
  };

  it("reads the allowed client ids trimmed, in any case", () => {
    expect(
      readRegistrationSettings({ ...registration, REGISTRATION_ALLOWED_CLIENT_IDS: ` ${CLIENT_A} ,${CLIENT_B},` })
        .allowedClientIds,
    ).toEqual([CLIENT_A, CLIENT_B]);
  });

  it("refuses a list with any entry that is not a GUID, or none at all, naming every problem", () => {
    const allowed =
      "REGISTRATION_ALLOWED_CLIENT_IDS must list the client ids (GUIDs) of the back ends allowed to register devices";
    expect(() => readRegistrationSettings({ ...registration, REGISTRATION_ALLOWED_CLIENT_IDS: `${CLIENT_A},backend` })).toThrow(
      `registration settings are invalid: ${allowed}`,
    );
    expect(() => readRegistrationSettings({})).toThrow(
      `registration settings are invalid: NOTIFICATION_HUB_REGISTRATION_CONNECTION_STRING must be a Notification Hubs connection string (is the Key Vault reference resolved?); NOTIFICATION_HUB_NAME must name the notification hub; ${allowed}`,
    );
  });
});
