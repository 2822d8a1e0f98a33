import type { PolicyAnalyzer } from "../../tools/policy/policyAnalyzer";

/**
 * One policy-pack server per jest worker for the whole run, started by the run's global setup and
 * ended by its teardown. A worker runs its test files one after another, so its server serves one
 * tool run at a time, configured anew by each run as the engine's would be; starting a server
 * (a Node.js process loading the pack) once per worker instead of once per test file is what this
 * saves. Starting and stopping a server is itself tested in test/tools/policy, with servers of
 * their own.
 */
const PORTS_VARIABLE = "ACS_TEST_ANALYZER_PORTS";
const servers = globalThis as { acsSharedAnalyzers?: PolicyAnalyzer[] };

export async function startSharedAnalyzers(workers: number): Promise<void> {
  const { startPackAnalyzer } = require("../../tools/policy/policyRun") as typeof import("../../tools/policy/policyRun");
  const started = await Promise.all(Array.from({ length: Math.max(1, workers) }, () => startPackAnalyzer()));
  servers.acsSharedAnalyzers = started;
  process.env[PORTS_VARIABLE] = started.map((server) => server.port).join(",");
}

export function stopSharedAnalyzers(): void {
  for (const server of servers.acsSharedAnalyzers ?? []) server.shutDown();
  servers.acsSharedAnalyzers = undefined;
}

/** A connection to this worker's server; undefined outside a jest run that started them. */
export function connectToWorkersAnalyzer(): PolicyAnalyzer | undefined {
  const ports = (process.env[PORTS_VARIABLE] ?? "").split(",").filter(Boolean).map(Number);
  const worker = Number(process.env.JEST_WORKER_ID ?? "1");
  const port = ports[(worker - 1) % Math.max(1, ports.length)];
  if (port === undefined || Number.isNaN(port)) return undefined;
  const { PolicyAnalyzer } = require("../../tools/policy/policyRun") as typeof import("../../tools/policy/policyRun");
  return PolicyAnalyzer.connect(port);
}
