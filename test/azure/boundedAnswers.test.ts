import * as http from "node:http";
import { AddressInfo } from "node:net";
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { boundedHttpClient, isNetworkFailure } from "../../azure/requestLimits";

// Every answer the project's own Azure calls read is read whole within its time limit and at most
// a few MB, else the error names the host — a server that dribbles or floods cannot hang or sink a tool.
type Behaviour = (res: http.ServerResponse) => void;
let behaviour: Behaviour = (res) => res.end("{}");
const timers: NodeJS.Timeout[] = [];
const server = http.createServer((_req, res) => behaviour(res));
let host = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  timers.forEach(clearInterval);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = (timeout: number, maxBytes: number) =>
  boundedHttpClient(createDefaultHttpClient(), maxBytes, timeout).sendRequest(
    createPipelineRequest({
      url: `http://${host}/subscriptions`,
      method: "GET",
      timeout,
      headers: createHttpHeaders(),
      // A plain-HTTP fake on this machine: no token travels here.
      allowInsecureConnection: true,
    }),
  );

async function failureOf(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail");
}

describe("an answer read within limits", () => {
  it("gives a normal answer's body as text", async () => {
    behaviour = (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"value":[]}');
    const response = await get(5_000, 1024);
    expect(response.status).toBe(200);
    expect(response.bodyAsText).toBe('{"value":[]}');
  });

  it("cuts off a server that sends its headers, then a byte at a time, at the time limit of the whole answer", async () => {
    behaviour = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const drip = setInterval(() => res.write(" "), 100);
      timers.push(drip);
      res.on("close", () => clearInterval(drip));
    };
    const started = Date.now();
    const error = await failureOf(get(1_000, 1024 * 1024));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(isNetworkFailure(error)).toBe(true);
    expect(error.message).toBe(`${host} did not finish its answer within 1.0 s`);
  });

  it("refuses an answer larger than the limit, naming the host, without holding it", async () => {
    behaviour = (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024) res.once("drain", pump);
        else res.end();
      };
      res.on("error", () => undefined);
      pump();
    };
    const error = await failureOf(get(10_000, 1024 * 1024));
    expect(isNetworkFailure(error)).toBe(true);
    expect(error.message).toMatch(new RegExp(`^${host.replace(/\./g, "\\.")} sent an answer larger than \\d+ MiB`));
  });
});
