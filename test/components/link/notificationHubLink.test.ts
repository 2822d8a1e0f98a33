import * as pulumi from "@pulumi/pulumi";
import { startMockRuntime, resolveOutput } from "../../../tools/mocks/mockRuntime";
import { NotificationHubLink } from "../../../components/link/notificationHubLink";
import { settleRegistrations } from "../../support/settle";

const SUB = "00000000-0000-0000-0000-000000000000";
const ACS_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs`;
const HUB_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.NotificationHubs/namespaces/ns/notificationHubs/hub`;
const CONNECTION_STRING = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc";

describe("NotificationHubLink", () => {
  it("registers the link action as a dynamic resource with a secret connection string and a non-secret fingerprint", async () => {
    const recording = startMockRuntime({ stack: "test" });
    const link = new NotificationHubLink("chat", {
      communicationServiceId: ACS_ID,
      notificationHubId: HUB_ID,
      connectionString: CONNECTION_STRING,
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
    expect(pulumi.runtime.isRpcSecret(action.inputs.connectionString)).toBe(true);
    expect(action.additionalSecretOutputs).toContain("connectionString");
    expect(fingerprint).toEqual({ value: expect.stringMatching(/^sha256:[0-9a-f]{16}$/), secret: false, known: true });
  });
});
