import { ARM_ENDPOINT_ENV, armEndpoint, PUBLIC_CLOUD_ARM_ENDPOINT } from "../../azure/armEndpoint";

describe("the ARM endpoint override", () => {
  const withValue = (value: string) => () => armEndpoint({ [ARM_ENDPOINT_ENV]: value });

  it("defaults to the public cloud and takes a sovereign cloud's origin", () => {
    expect(armEndpoint({})).toBe(PUBLIC_CLOUD_ARM_ENDPOINT);
    expect(armEndpoint({ [ARM_ENDPOINT_ENV]: "https://management.chinacloudapi.cn/" })).toBe(
      "https://management.chinacloudapi.cn",
    );
  });

  it.each([
    ["a password over http", "http://user:hunter2-Pa55w0rd@127.0.0.1:8443", /must not carry a user name or password/],
    ["a password over https", "https://user:hunter2-Pa55w0rd@management.azure.com", /must not carry a user name or password/],
    ["plain http", "http://127.0.0.1:8443/?sig=hunter2-Pa55w0rd", /must use https .* it uses http\./],
    ["not a URL", "hunter2-Pa55w0rd", /must be an https URL like https:\/\/management\.azure\.com; it is not a URL\./],
  ])("refuses %s, naming the variable and never echoing the value", (_what, value, message) => {
    expect(withValue(value)).toThrow(message);
    expect(withValue(value)).toThrow(ARM_ENDPOINT_ENV);
    try {
      withValue(value)();
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});
