import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PROJECT_ROOT } from "../shared/projectRoot";
import { structBytes, varint } from "./structWire";

/**
 * Drives the policy pack the way the Pulumi engine does: starts `policies/index.ts` as its own
 * process (the PolicyPack constructor serves the analyzer over gRPC and prints the port), then
 * calls GetAnalyzerInfo, Configure, Analyze per resource and AnalyzeStack. What passes here
 * passes under `pulumi preview --policy-pack policies`, because it is the same server.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
export type Severity = "low" | "medium" | "high" | "critical" | "unspecified";

/** A resource as the analyzer receives it. Property values use Pulumi's wire form (secrets as signature objects). */
export interface AnalyzerResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: Record<string, unknown>;
  readonly parent?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly additionalSecretOutputs: readonly string[];
}

export interface RuleInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity;
  readonly remediationSteps: string;
  readonly kind: "resource" | "stack";
  readonly configSchema: { properties: Record<string, unknown>; required: string[] };
}

export interface PackInfo {
  readonly name: string;
  readonly version: string;
  readonly rules: RuleInfo[];
}

export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity;
  readonly urn: string;
}

/** Per-rule configuration as `--policy-pack-config` takes it, after the "all" key was expanded. */
export type PolicyConfig = Record<string, { enforcementLevel?: EnforcementLevel; [setting: string]: unknown }>;

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
  advisory: analyzerpb.EnforcementLevel.ADVISORY,
  mandatory: analyzerpb.EnforcementLevel.MANDATORY,
  disabled: analyzerpb.EnforcementLevel.DISABLED,
  remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};
const SEVERITIES: Record<number, Severity> = {
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "unspecified",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

/** Analyze calls in flight at once. */
const ANALYZE_IN_FLIGHT = 64;

function call<Res>(invoke: (callback: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res))));
}

function toStruct(value: Record<string, unknown>): Struct {
  // Struct has no `undefined`; the engine drops such properties as well.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function options(resource: AnalyzerResource): analyzerpb.AnalyzerResourceOptions {
  const opts = new analyzerpb.AnalyzerResourceOptions();
  opts.setAdditionalsecretoutputsList([...resource.additionalSecretOutputs]);
  if (resource.parent) opts.setParent(resource.parent);
  return opts;
}

/** The fields AnalyzeRequest and AnalyzerResource share, set from one conversion of the resource. */
interface ResourceMessage {
  setType(v: string): unknown;
  setName(v: string): unknown;
  setUrn(v: string): unknown;
  setOptions(v: analyzerpb.AnalyzerResourceOptions): unknown;
}

/** The shared fields but the properties, which are appended as bytes: see withProperties. */
function describe<M extends ResourceMessage>(
  message: M,
  resource: AnalyzerResource,
  resourceOptions: analyzerpb.AnalyzerResourceOptions,
): M {
  message.setType(resource.type);
  message.setName(resource.name);
  message.setUrn(resource.urn);
  message.setOptions(resourceOptions);
  return message;
}

/**
 * A message's bytes with `google.protobuf.Struct properties = 2` (its field number in both
 * AnalyzeRequest and AnalyzerResource) appended: protobuf reads fields in any order, so the
 * properties, encoded once by structBytes, are never copied into google-protobuf's writer.
 */
function withProperties(message: Uint8Array, properties: Buffer): Uint8Array[] {
  return [message, Uint8Array.of(0x12), varint(properties.length), properties];
}

const byteLength = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);

function stackResourceMessage(
  resource: AnalyzerResource,
  resourceOptions: analyzerpb.AnalyzerResourceOptions,
): analyzerpb.AnalyzerResource {
  const r = describe(new analyzerpb.AnalyzerResource(), resource, resourceOptions);
  if (resource.parent) r.setParent(resource.parent);
  r.setDependenciesList([...resource.dependencies]);
  const deps = r.getPropertydependenciesMap();
  for (const [prop, urns] of Object.entries(resource.propertyDependencies)) {
    const d = new analyzerpb.AnalyzerPropertyDependencies();
    d.setUrnsList([...urns]);
    deps.set(prop, d);
  }
  return r;
}

/** `AnalyzeStackRequest { repeated AnalyzerResource resources = 1; }` on the wire: each resource as field 1, length-delimited. */
function analyzeStackRequestBytes(resources: readonly Uint8Array[][]): Buffer {
  const parts: Uint8Array[] = [];
  for (const resource of resources) parts.push(Uint8Array.of(0x0a), varint(byteLength(resource)), ...resource);
  return Buffer.concat(parts);
}

export class PolicyAnalyzer {
  private constructor(
    /** The server's process when this object started it; undefined for a connection to a server another process runs. */
    private readonly process: ChildProcess | undefined,
    private readonly client: AnalyzerClient,
    /** The port the server listens on: another process may {@link connect} to it. */
    readonly port: number,
  ) {}

  /**
   * Connects to a pack server another process started and keeps running (a test run shares one
   * per worker): `shutDown()` then ends only this connection, never the server.
   */
  static connect(port: number): PolicyAnalyzer {
    return new PolicyAnalyzer(undefined, new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()), port);
  }

  /** Starts the pack in `packDir` and connects to it. */
  static async start(packDir: string, runner = path.join(PROJECT_ROOT, "scripts", "run-ts.js")): Promise<PolicyAnalyzer> {
    // The server watches its stdin and exits when this process ends, however it ends.
    return PolicyAnalyzer.spawnServer(packDir, [runner, path.join(packDir, "index.ts")], {
      ACS_NOTIFICATIONS_EXIT_WITH_PARENT: "1",
    });
  }

  /**
   * Starts the pack exactly as the Pulumi CLI's policy host does: `@pulumi/pulumi/cmd/run-policy-pack`
   * with the pack's directory as the program, which registers ts-node with type-checking and the
   * pack's own tsconfig.json read raw (no `extends`) over its defaults.
   */
  static async startAsPulumiCli(packDir: string): Promise<PolicyAnalyzer> {
    const host = path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js", { paths: [packDir] }));
    return PolicyAnalyzer.spawnServer(packDir, [host, "127.0.0.1:0", "."]);
  }

  private static async spawnServer(packDir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<PolicyAnalyzer> {
    const child = spawn(process.execPath, args, {
      cwd: packDir,
      // A pipe the server may watch: it closes when this process ends, even by SIGKILL.
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    // On a normal exit (also after an uncaught error), the server goes first.
    const stopOnExit = () => child.kill();
    process.once("exit", stopOnExit);
    child.once("exit", () => process.off("exit", stopOnExit));
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      const onData = (d: Buffer) => {
        stdout += d.toString();
        const line = /^(\d+)\s*$/m.exec(stdout);
        if (line) {
          child.stdout!.off("data", onData);
          resolve(Number(line[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving: ${stderr.trim()}`)));
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyAnalyzer(child, client, port);
  }

  async info(): Promise<PackInfo> {
    const res = await call<analyzerpb.AnalyzerInfo>((cb) => this.client.getAnalyzerInfo(new Empty(), cb));
    return {
      name: res.getName(),
      version: res.getVersion(),
      rules: res.getPoliciesList().map((p) => ({
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
        severity: SEVERITIES[p.getSeverity()] ?? "unspecified",
        remediationSteps: p.getRemediationSteps(),
        kind: p.getPolicyType() === analyzerpb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
        configSchema: {
          properties: (p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
          required: p.getConfigschema()?.getRequiredList() ?? [],
        },
      })),
    };
  }

  async configure(config: PolicyConfig): Promise<void> {
    const req = new analyzerpb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [policy, { enforcementLevel, ...settings }] of Object.entries(config)) {
      const pc = new analyzerpb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_CODES[enforcementLevel ?? "advisory"]);
      pc.setProperties(toStruct(settings));
      map.set(policy, pc);
    }
    await call<Empty>((cb) => this.client.configure(req, cb));
  }

  /**
   * Analyze (per resource, as during a preview) then AnalyzeStack (the whole stack), like the engine.
   * `needsAnalyze` may leave out of the Analyze calls resources no resource rule checks (they get
   * no finding there by construction); every resource still goes to AnalyzeStack.
   */
  async analyze(
    resources: readonly AnalyzerResource[],
    needsAnalyze: (type: string) => boolean = () => true,
  ): Promise<Diagnostic[]> {
    // Each resource is converted once and only its encoded bytes are kept: protobuf message
    // objects cost a hundred times their wire size, which on a large stack was most of the memory.
    const encoded: Uint8Array[][] = new Array<Uint8Array[]>(resources.length);
    const analyzeRequests: (Buffer | undefined)[] = new Array<Buffer | undefined>(resources.length);
    resources.forEach((resource, index) => {
      const properties = structBytes(resource.properties);
      const resourceOptions = options(resource);
      encoded[index] = withProperties(stackResourceMessage(resource, resourceOptions).serializeBinary(), properties);
      if (!needsAnalyze(resource.type)) return;
      const req = describe(new analyzerpb.AnalyzeRequest(), resource, resourceOptions).serializeBinary();
      analyzeRequests[index] = Buffer.concat(withProperties(req, properties));
    });
    // The calls are independent (the pack keeps no state between them but its configuration), so
    // the stack's analysis runs while the per-resource calls are still coming in, and those are
    // pipelined: one at a time, a large stack spends most of its time on round trips.
    const stackAnalysis = this.unary("AnalyzeStack", analyzeStackRequestBytes(encoded));
    const perResource: Diagnostic[][] = new Array<Diagnostic[]>(resources.length).fill([]);
    let next = 0;
    const worker = async () => {
      while (next < analyzeRequests.length) {
        const index = next++;
        const request = analyzeRequests[index];
        analyzeRequests[index] = undefined; // sent: let it go
        if (request) perResource[index] = this.diagnosticsOf(await this.unary("Analyze", request));
      }
    };
    await Promise.all(Array.from({ length: Math.min(ANALYZE_IN_FLIGHT, resources.length) }, worker));
    const stackDiagnostics = this.diagnosticsOf(await stackAnalysis);
    // In resource order, whatever order the answers came in, then the stack's.
    return [...perResource.flat(), ...stackDiagnostics];
  }

  /** A call with a request already encoded; the answer is an AnalyzeResponse either way. */
  private unary(method: "Analyze" | "AnalyzeStack", request: Buffer): Promise<analyzerpb.AnalyzeResponse> {
    return call<analyzerpb.AnalyzeResponse>((cb) =>
      this.client.makeUnaryRequest(
        `/pulumirpc.Analyzer/${method}`,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => analyzerpb.AnalyzeResponse.deserializeBinary(new Uint8Array(bytes)),
        request,
        (err, res) => cb(err, res!),
      ),
    );
  }

  private diagnosticsOf(res: analyzerpb.AnalyzeResponse): Diagnostic[] {
    return res.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      description: d.getDescription(),
      // The SDK prefixes every message with the rule's description; reports show that separately.
      message: d.getMessage().startsWith(`${d.getDescription()}\n`)
        ? d.getMessage().slice(d.getDescription().length + 1)
        : d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
      severity: SEVERITIES[d.getSeverity()] ?? "unspecified",
      urn: d.getUrn(),
    }));
  }

  private retained = false;

  /**
   * Keeps this server for several runs in one process (each run configures it anew): `close()`
   * then leaves it running, and `shutDown()` ends it.
   */
  retain(): this {
    this.retained = true;
    return this;
  }

  /** Ends the server after a run, unless it is retained. */
  close(): void {
    if (!this.retained) this.shutDown();
  }

  shutDown(): void {
    this.client.close();
    this.process?.kill();
  }
}

/** Where a tool's run gets the pack's analyzer: a new server by default. */
export type AnalyzerStarter = () => Promise<PolicyAnalyzer>;
