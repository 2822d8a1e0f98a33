import { startMockRuntime, resolveOutput } from "../../tools/mocks/mockRuntime";
import { CommunicationServices } from "../../components/communicationServices";
import { settleRegistrations } from "../support/settle";

describe("CommunicationServices", () => {
  it("creates one global ACS resource with dataLocation, tags and a system identity, parented and named from the component", async () => {
    const recording = startMockRuntime({ stack: "test" });
    const acs = new CommunicationServices("chat", { resourceGroupName: "rg", dataLocation: "Europe", tags: { owner: "me" } });
    const hostName = await resolveOutput(acs.hostName);
    await settleRegistrations();
    const component = recording.one("acs-notifications:communication:CommunicationServices");
    const service = recording.one("azure-native:communication:CommunicationService");
    expect(service.name).toBe("chat-acs");
    expect(service.parent).toBe(component.urn);
    expect(service.inputs).toEqual({
      resourceGroupName: "rg",
      location: "global",
      dataLocation: "Europe",
      identity: { type: "SystemAssigned" },
      tags: { owner: "me" },
    });
    expect(hostName.value).toMatch(/^chat-acs[0-9a-f]{7}\.communication\.azure\.com$/);
  });
});
