/**
 * Jest setup (every test file): cheap stack traces for the ones the Pulumi SDK takes of itself.
 *
 * - Every output and registration gets a promise trace (`debuggablePromise`: `new Error().stack`),
 *   read only by the SDK's leak report when a program's process exits. Formatting those was about a
 *   tenth of a program's run time in a test; here they hold the header alone.
 * - Each resource's source position comes from a full trace (`Resource.callsites`): it gets V8's own
 *   formatting, which the SDK parses — through jest's source-mapping formatter that was most of a
 *   program's run time in a test, while under `pulumi up` it costs next to nothing.
 *
 * Errors with a message — a failed assertion, a thrown error — still get jest's source-mapped frames.
 * Jest installs its formatter on the worker's own Error, outside the test file's realm; a function
 * made by that realm's Function constructor reaches it.
 */
type Formatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const workerError = (process.on.constructor as FunctionConstructor)("return Error")() as ErrorConstructor & {
  prepareStackTrace?: Formatter;
};
const jestFormatter = workerError.prepareStackTrace;

const PULUMI_SDK = "/node_modules/@pulumi/pulumi/";
const PROMISE_TRACE = `${PULUMI_SDK}runtime/debuggable.js`;

function pulumiSelfTrace(error: Error, frames: NodeJS.CallSite[]): string | undefined {
  const file = frames[0]?.getFileName() ?? "";
  if (error.message !== "" || !file.includes(PULUMI_SDK)) return undefined;
  if (file.endsWith(PROMISE_TRACE)) return "Error";
  return `Error\n${frames.map((frame) => `    at ${String(frame)}`).join("\n")}`;
}

if (jestFormatter) {
  workerError.prepareStackTrace = (error, frames) => pulumiSelfTrace(error, frames) ?? jestFormatter(error, frames);
}

// A module, not a global script: a change here then type-checks only this file again (npm test's
// static checks are incremental), not every file of the project.
export {};
