import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { unzipSync } from "fflate";
import { buildFunctionPackage, functionPackage } from "../../components/functionPackage";

describe("the push sender package", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "acs-pkg-"));

  it("is a small, reproducible zip with host.json, a package.json pointing at the bundle, and the bundle", () => {
    const first = buildFunctionPackage(path.join(out, "a"));
    const second = buildFunctionPackage(path.join(out, "b"));
    expect(second.sha256).toBe(first.sha256);
    expect(first.bytes).toBeLessThanOrEqual(500 * 1024);
    const files = unzipSync(fs.readFileSync(first.path));
    expect(Object.keys(files).sort()).toEqual(["dist/index.js", "host.json", "package.json"]);
    expect(JSON.parse(Buffer.from(files["package.json"]).toString())).toMatchObject({ main: "dist/index.js" });
    expect(JSON.parse(Buffer.from(files["host.json"]).toString()).extensionBundle.id).toBe(
      "Microsoft.Azure.Functions.ExtensionBundle",
    );
  });

  it("registers the Event Grid function `sendPush` when the Functions host loads it", () => {
    const files = unzipSync(fs.readFileSync(buildFunctionPackage(path.join(out, "c")).path));
    const dir = path.join(out, "site");
    fs.mkdirSync(path.join(dir, "dist"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist", "index.js"), Buffer.from(files["dist/index.js"]));
    // A plain Node process standing in for the Functions host: it provides @azure/functions-core and the app settings.
    const host = `
      const Module = require("node:module");
      const registered = [];
      const core = {
        version: "4.5.0",
        registerFunction: (m) => { registered.push({ name: m.name, trigger: Object.values(m.bindings).find((b) => b.type.endsWith("Trigger")).type }); return { dispose() {} }; },
        setProgrammingModel() {}, getProgrammingModel: () => ({}), registerHook: () => ({ dispose() {} }), log() {},
      };
      const load = Module._load;
      Module._load = function (request, ...rest) { return request === "@azure/functions-core" ? core : load.call(this, request, ...rest); };
      require(${JSON.stringify(path.join(dir, "dist", "index.js"))});
      process.stdout.write(JSON.stringify(registered));
    `;
    const stdout = execFileSync(process.execPath, ["-e", host], {
      env: {
        PATH: process.env.PATH,
        NOTIFICATION_HUB_CONNECTION_STRING: "Endpoint=sb://nh.servicebus.windows.net/;SharedAccessKeyName=s;SharedAccessKey=k",
        NOTIFICATION_HUB_NAME: "hub",
      },
      encoding: "utf8",
    });
    expect(JSON.parse(stdout)).toEqual([{ name: "sendPush", trigger: "eventGridTrigger" }]);
  });

  it("reuses a package built from the same sources", () => {
    const first = functionPackage(path.join(out, "cache"));
    const again = functionPackage(path.join(out, "cache"));
    expect(again).toEqual(first);
    expect(path.basename(first.path)).toMatch(/^push-sender-[0-9a-f]{16}\.zip$/);
  });
});
