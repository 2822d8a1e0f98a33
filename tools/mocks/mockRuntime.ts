import * as pulumi from "@pulumi/pulumi";
import { AzureMocks } from "./azureMocks";

/** One resource as the program registered it: what the engine would see. */
export interface RegisteredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** URN of the parent; undefined for the stack's direct children. */
  readonly parent?: string;
  /** Inputs with secrets kept as Pulumi's RPC secret wrappers (`pulumi.runtime.isRpcSecret`). */
  readonly inputs: Record<string, unknown>;
  /** URNs this resource waits for (explicit dependsOn and every input's resources). */
  readonly dependencies: readonly string[];
  /** For each input, the URNs of the resources its value came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly additionalSecretOutputs: readonly string[];
  /** Whether a replacement deletes this resource before creating its successor. */
  readonly deleteBeforeReplace: boolean;
  /**
   * Other parents this resource's aliases name: where it lived before a refactoring moved it. (The
   * SDK also sends the current parent with every alias that names none, e.g. a provider's own type
   * aliases; those say nothing about a move and are left out.)
   */
  readonly aliasParents: readonly string[];
}

export interface RegisteredInvoke {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** Everything one run of a program registered, in registration order. */
export class ProgramRecording {
  readonly resources: RegisteredResource[] = [];
  readonly invokes: RegisteredInvoke[] = [];

  byType(type: string): RegisteredResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The single resource of a type; throws when there is not exactly one, so tests fail loudly. */
  one(type: string): RegisteredResource {
    const found = this.byType(type);
    if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
    return found[0];
  }

  byUrn(urn: string): RegisteredResource | undefined {
    return this.resources.find((r) => r.urn === urn);
  }
}

interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): unknown;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplace(): boolean;
  getAliasesList(): { getSpec(): { getParenturn(): string } | undefined }[];
  getTok(): string;
  getArgs(): unknown;
}

type Callback = (err: unknown, response: unknown) => void;
interface Monitor {
  registerResource(req: MonitorRequest, callback: Callback): Promise<void>;
  invoke(req: MonitorRequest, callback: Callback): Promise<void>;
}

export interface MockRuntimeOptions {
  readonly project?: string;
  readonly stack?: string;
  /** Run as a preview (true, the default) or as an update. */
  readonly preview?: boolean;
  readonly mocks?: pulumi.runtime.Mocks;
}

function propertyDependenciesOf(req: MonitorRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => (out[key] = deps.getUrnsList()));
  return out;
}

/**
 * Installs Pulumi's mock runtime with {@link AzureMocks} and records every registration, with
 * the parent, dependencies and secret markers that the mock API alone does not expose.
 */
export function startMockRuntime(options: MockRuntimeOptions = {}): ProgramRecording {
  const recording = new ProgramRecording();
  const mocks = options.mocks ?? new AzureMocks();
  void pulumi.runtime.setMocks(mocks, options.project ?? "acs-notifications", options.stack ?? "dev", options.preview ?? true);
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const registerResource = monitor.registerResource.bind(monitor);
  const invoke = monitor.invoke.bind(monitor);

  monitor.registerResource = async (req, callback) => {
    return registerResource(req, (err, response) => {
      if (!err && response) {
        const urn = (response as { getUrn(): string }).getUrn();
        recording.resources.push({
          urn,
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || undefined,
          inputs: pulumi.runtime.deserializeProperties(req.getObject() as never, true),
          dependencies: req.getDependenciesList(),
          propertyDependencies: propertyDependenciesOf(req),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          aliasParents: req
            .getAliasesList()
            .map((alias) => alias.getSpec()?.getParenturn() ?? "")
            .filter((urn) => urn !== "" && urn !== req.getParent()),
        });
      }
      callback(err, response);
    });
  };
  monitor.invoke = async (req, callback) => {
    recording.invokes.push({ token: req.getTok(), inputs: pulumi.runtime.deserializeProperties(req.getArgs() as never, true) });
    return invoke(req, callback);
  };
  return recording;
}

/** Resolves an output (or any value) the way a test or the plan needs it: value, and whether it is secret. */
export async function resolveOutput<T>(
  value: pulumi.Input<T>,
): Promise<{ value: T | undefined; secret: boolean; known: boolean }> {
  const output = pulumi.output(value);
  const internal = output as unknown as {
    promise(withUnknowns?: boolean): Promise<T>;
    isSecret: Promise<boolean>;
    isKnown: Promise<boolean>;
  };
  const [resolved, secret, known] = await Promise.all([internal.promise(true), internal.isSecret, internal.isKnown]);
  return { value: resolved, secret, known };
}

/** A stack output as a plan shows it. */
export interface ProgramOutput {
  readonly name: string;
  readonly value: unknown;
  readonly secret: boolean;
  readonly known: boolean;
}

/**
 * Runs a Pulumi program file as a preview under `mocks` (config already set) and returns what it
 * registered and its exports, resolved. Shared by the offline plans of the main program and the bootstrap.
 */
export async function runProgramUnderMocks(
  programFile: string,
  options: Required<Pick<MockRuntimeOptions, "project" | "stack" | "mocks">>,
): Promise<{ recording: ProgramRecording; outputs: ProgramOutput[] }> {
  const recording = startMockRuntime({ ...options, preview: true });
  // A program error may surface from a pending registration rather than from the program's own call.
  let pendingFailure: unknown;
  const onRejection = (reason: unknown) => (pendingFailure ??= reason);
  process.on("unhandledRejection", onRejection);
  try {
    const outputs = await runProgram(programFile);
    // Rejections are reported after the microtasks that made them: let them surface first.
    await new Promise((resolve) => setImmediate(resolve));
    if (pendingFailure !== undefined) throw pendingFailure;
    return { recording, outputs };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

/** Calls (or loads) the program and resolves its outputs, then ends the mock runtime's run. */
async function runProgram(programFile: string): Promise<ProgramOutput[]> {
  // As Pulumi's Node.js host does: a module that exports a function is a program to call, and what
  // the call returns are the outputs. Calling it (rather than loading the module anew) lets one
  // process plan several stacks.
  const loaded = require(programFile) as Record<string, unknown> | (() => unknown);
  const program = (typeof loaded === "function" ? await loaded() : loaded) as Record<string, unknown>;
  const outputs: ProgramOutput[] = [];
  for (const [name, value] of Object.entries(program ?? {})) {
    outputs.push({ name, ...(await resolveOutput(value as pulumi.Input<unknown>)) });
  }
  await pulumi.runtime.disconnect();
  return outputs;
}
