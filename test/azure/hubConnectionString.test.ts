import { parseHubConnectionString, redactSecrets } from "../../azure/hubConnectionString";
import { validateLinkInputs } from "../../components/link/notificationHubLinkProvider";
import { readSettings } from "../../function/src/settings";
import { SETTINGS } from "../../function/src/contract";
import { armExample } from "../support/azureFixtures";

// Azure's published listKeys answer, with its masked key replaced by a key-shaped value (the only change).
const published = armExample("notificationhubs/AuthorizationRuleListKeys.json");
const body = published.responses["200"].body as { primaryConnectionString: string; keyName: string };
const KEY = "c2VjcmV0LWtleS10aGF0LW11c3QtbmV2ZXItbGVhay0xMjM0NTY3ODkwYWJjZA==";
const CONNECTION_STRING = body.primaryConnectionString.replace(/SharedAccessKey=#+/, `SharedAccessKey=${KEY}`);
const p = published.parameters as Record<string, string>;
const HUB_ID = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.NotificationHubs/namespaces/${p.namespaceName}/notificationHubs/${p.notificationHubName}`;
const ACS_ID = `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroupName}/providers/Microsoft.Communication/communicationServices/acs`;

describe("connection strings in the form ARM's listKeys returns them (published example, with EntityPath)", () => {
  it("still holds EntityPath, which the project must tolerate", () => {
    expect(CONNECTION_STRING).toMatch(/;EntityPath=/);
  });

  it("parse to the namespace and rule", () => {
    expect(parseHubConnectionString(CONNECTION_STRING)).toEqual({
      endpoint: "sb://nh-sdk-ns.servicebus.windows-int.net/",
      namespaceName: "nh-sdk-ns",
      keyName: body.keyName,
    });
  });

  it("come from a rule the link accepts: one of the linked hub's own", () => {
    const authorizationRuleId = `${HUB_ID}/authorizationRules/${p.authorizationRuleName}`;
    expect(validateLinkInputs({ communicationServiceId: ACS_ID, notificationHubId: HUB_ID, authorizationRuleId })).toEqual([]);
  });

  it("are accepted by the push sender's settings", () => {
    expect(
      readSettings({ [SETTINGS.connectionString]: CONNECTION_STRING, [SETTINGS.hubName]: p.notificationHubName })
        .connectionString,
    ).toBe(CONNECTION_STRING);
  });

  it("lose their key when redacted", () => {
    const redacted = redactSecrets(`link failed for ${CONNECTION_STRING}`);
    expect(redacted).not.toContain(KEY);
    expect(redacted).toContain("SharedAccessKey=[redacted]");
  });
});
