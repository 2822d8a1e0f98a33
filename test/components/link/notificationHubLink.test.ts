import * as pulumi from "@pulumi/pulumi";
import { startMockRuntime, resolveOutput } from "../../../tools/mocks/mockRuntime";
import { NotificationHubLink } from "../../../components/link/notificationHubLink";
import { settleRegistrations } from "../../support/settle";

const SUB = "00000000-0000-0000-0000-000000000000";
const ACS_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs`;
const HUB_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/ns/notificationHubs/hub`;
const RULE_ID = `${HUB_ID}/authorizationRules/send`;

describe("NotificationHubLink", () => {
  it("registers the link action as a dynamic resource naming the Send rule (no key) and a non-secret fingerprint", async () => {
    const recording = startMockRuntime({ stack: "test" });
    const link = new NotificationHubLink("chat", {
      communicationServiceId: ACS_ID,
      notificationHubId: HUB_ID,
      authorizationRuleId: RULE_ID,
    });
    const fingerprint = await resolveOutput(link.connectionStringFingerprint);
    await settleRegistrations();
    const component = recording.one("acs-notifications:communication:NotificationHubLink");
    const action = recording.one("pulumi-nodejs:dynamic:NotificationHubLink");
    expect(action.name).toBe("chat-link");
    expect(action.parent).toBe(component.urn);
    expect(action.inputs.communicationServiceId).toBe(ACS_ID);
    expect(action.inputs.notificationHubId).toBe(HUB_ID);
    // The provider travels with the resource, serialized, so `pulumi up` can run it.
    expect(action.inputs.__provider).toEqual(expect.stringContaining("linkNotificationHub"));
    // The rule, not its key: the provider reads the key while it links, so none is in the inputs or state.
    expect(action.inputs.authorizationRuleId).toBe(RULE_ID);
    expect(Object.keys(action.inputs).filter((k) => /connectionString$|key$/i.test(k))).toEqual([]);
    expect(pulumi.runtime.isRpcSecret(action.inputs.authorizationRuleId)).toBe(false);
    expect(fingerprint).toEqual({ value: expect.stringMatching(/^sha256:[0-9a-f]{16}$/), secret: false, known: true });
  });
});
