import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { LOCALHOST_CERT_FILE, LOCALHOST_KEY_FILE } from "./tlsFake";

const AZURITE_BLOB = path.join(__dirname, "..", "..", "node_modules", "azurite", "dist", "src", "blob", "main.js");
export const AZURITE_ACCOUNT = "devstoreaccount1";

/**
 * Azurite, the Azure Storage emulator, serving Blob on 127.0.0.1 over TLS with OAuth on: it
 * accepts only bearer tokens whose issuer, audience and lifetime Entra ID would give, the way a
 * storage account with shared keys disabled does. In memory; stopped by the test.
 */
export class Azurite {
  private child?: ChildProcess;
  endpoint = "";

  async start(timeoutMs = 20_000): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        AZURITE_BLOB,
        "--blobHost",
        "127.0.0.1",
        "--blobPort",
        "0",
        "--inMemoryPersistence",
        "--extentMemoryLimit",
        "64",
        "--oauth",
        "basic",
        "--cert",
        LOCALHOST_CERT_FILE,
        "--key",
        LOCALHOST_KEY_FILE,
        "--disableTelemetry",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    let output = "";
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listens on https:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with code ${code}: ${output}`));
      });
    });
    this.endpoint = `https://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
}

/**
 * A token shaped as Entra ID issues one for Storage to a managed identity. Azurite's basic OAuth
 * mode checks issuer, audience and lifetime, not the signature.
 */
export function storageAccessToken(options: { audience?: string; lifetimeSeconds?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return [
    part({ typ: "JWT", alg: "RS256", kid: "test" }),
    part({
      aud: options.audience ?? "https://storage.azure.com/",
      iss: "https://sts.windows.net/ab1f708d-50f6-404c-a006-d71b2ac7a606/",
      iat: now - 60,
      nbf: now - 60,
      exp: now + (options.lifetimeSeconds ?? 3600),
      oid: "3c6cb7a8-5b6f-4d3c-9f1e-2b1e6f0d9a11",
      tid: "ab1f708d-50f6-404c-a006-d71b2ac7a606",
    }),
    "c2lnbmF0dXJl",
  ].join(".");
}
