import { RawStackConfig } from "../../config/stackConfigTypes";
import { fcmPrivateKeyPem } from "../support/keys";
import { configProblems, validInput } from "../support/stackConfigInput";

// Every pattern-checked setting, tried with a valid value and with that value wrapped in junk: a check that
// only looks for the value somewhere inside the text would take `com.contoso.chat; rm -rf` as a bundle id.
const APNS = { keyId: "ABCDE12345", teamId: "TEAM123456", bundleId: "com.contoso.chat", environment: "sandbox" };
const FCM = { projectId: "contoso-chat-dev", clientEmail: "acs-push@contoso-chat-dev.iam.gserviceaccount.com" };
const GUID_A = "6b1c2d3e-4f50-4a61-8b72-9c8d7e6f5a4b";
const GUID_B = "3f1a8c2e-6b5d-4e2f-9a10-5c7d8e9f0a1b";

function problemFor(change: (raw: RawStackConfig) => void, key: string): string | undefined {
  const raw = validInput();
  change(raw);
  return configProblems(raw)[key]?.[0];
}

type Setter = (raw: RawStackConfig, value: string) => void;
const values = (raw: RawStackConfig) => raw.values as Record<string, Record<string, unknown>>;

const cases: [key: string, valid: string, set: Setter, reason: RegExp, junk?: [string, string][]][] = [
  ["location", "westeurope", (r, v) => (values(r).location = v as never), /must be an Azure region name/],
  ["namePrefix", "acsnotif-dev", (r, v) => (values(r).namePrefix = v as never), /must be 3-16 lowercase letters/],
  [
    "existingResourceGroup",
    "rg-push.shared",
    (r, v) => (values(r).existingResourceGroup = v as never),
    /must be the name of an existing resource group/,
  ],
  ["apns.keyId", APNS.keyId, (r, v) => (values(r).apns.keyId = v), /10/],
  ["apns.teamId", APNS.teamId, (r, v) => (values(r).apns.teamId = v), /10/],
  ["apns.bundleId", APNS.bundleId, (r, v) => (values(r).apns.bundleId = v), /bundle/i],
  ["fcm.projectId", FCM.projectId, (r, v) => (values(r).fcm.projectId = v), /project/i],
  ["fcm.clientEmail", FCM.clientEmail, (r, v) => (values(r).fcm.clientEmail = v), /gserviceaccount\.com/],
  [
    "registration.audience",
    GUID_A,
    (r, v) => {
      values(r).registration = { audience: v, allowedClientApplications: [GUID_B] } as never;
      values(r).delivery = "function" as never;
    },
    /GUID/,
  ],
  [
    "registration.allowedClientApplications",
    GUID_B,
    (r, v) => (values(r).registration = { audience: GUID_A, allowedClientApplications: [v] } as never),
    /GUIDs/,
  ],
  [
    "existingEventGridSystemTopic.name",
    "acs-events",
    (r, v) => (values(r).existingEventGridSystemTopic = { name: v } as never),
    /name/i,
  ],
  [
    "alerts.emails[0]",
    "oncall@contoso.com",
    (r, v) => (values(r).alerts = { enabled: true, emails: [v] } as never),
    /must be an email address/,
    // `!` and `#` are valid in an address's local part (RFC 5322), so the junk here is what no address holds.
    [
      ["junk before", "<oncall@contoso.com"],
      ["junk after", "oncall@contoso.com!x"],
      ["a second line", "oncall@contoso.com\nx"],
    ],
  ],
];

describe.each(cases)("%s", (key, valid, set, reason, junk) => {
  it("accepts the valid value", () => {
    expect(problemFor((r) => set(r, valid), key)).toBeUndefined();
  });

  it.each(
    junk ?? [
      ["junk before", `x!${valid}`],
      ["junk after", `${valid}!x`],
      ["a second line", `${valid}\nx`],
    ],
  )("rejects it with %s, naming the key and the expected form", (_case, wrapped) => {
    expect(problemFor((r) => set(r, wrapped), key)).toMatch(reason);
  });
});

describe("the FCM private key's PEM armour", () => {
  const set = (pem: string) => (r: RawStackConfig) => {
    (r.secrets as Record<string, unknown>).fcmPrivateKey = { kind: "plain", value: pem };
  };

  it("is accepted alone, and rejected with text before or after it, without echoing the key", () => {
    expect(problemFor(set(fcmPrivateKeyPem), "fcmPrivateKey")).toBeUndefined();
    for (const pem of [`garbage\n${fcmPrivateKeyPem}`, `${fcmPrivateKeyPem}\ngarbage`]) {
      const message = problemFor(set(pem), "fcmPrivateKey");
      expect(message).toMatch(/PRIVATE KEY/);
      expect(message).not.toContain(fcmPrivateKeyPem.split("\n")[1]);
    }
  });
});
