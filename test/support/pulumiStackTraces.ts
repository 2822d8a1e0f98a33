/**
 * Jest setup (every test file): V8's own stack formatting for the stack traces the Pulumi SDK takes
 * of itself. The SDK formats one for every resource and output it creates (`new Error().stack` for
 * source positions and promise debugging); through jest's source-mapping formatter that was most of
 * a program's run time in a test, while under `pulumi up` it costs next to nothing. Errors with a
 * message — a failed assertion, a thrown error — still get jest's source-mapped frames.
 *
 * Jest installs its formatter on the worker's own Error, outside the test file's realm; a function
 * made by that realm's Function constructor reaches it.
 */
type Formatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const workerError = (process.on.constructor as FunctionConstructor)("return Error")() as ErrorConstructor & {
  prepareStackTrace?: Formatter;
};
const jestFormatter = workerError.prepareStackTrace;

function isPulumiSelfTrace(error: Error, frames: NodeJS.CallSite[]): boolean {
  return error.message === "" && (frames[0]?.getFileName() ?? "").includes("/node_modules/@pulumi/pulumi/");
}

// Node's own default. Jest raises the limit to 100 frames for its failure reports; the SDK's
// promise traces (one per output, read only by its leak report) then cost ten times what they
// cost under \`pulumi up\`. A source-position lookup sets the limit to Infinity and keeps every frame.
const NODE_STACK_TRACE_LIMIT = 10;

function pulumiSelfTrace(frames: NodeJS.CallSite[]): string {
  const kept = Error.stackTraceLimit === Infinity ? frames : frames.slice(0, NODE_STACK_TRACE_LIMIT);
  return `Error\n${kept.map((frame) => `    at ${String(frame)}`).join("\n")}`;
}

if (jestFormatter) {
  workerError.prepareStackTrace = (error, frames) =>
    isPulumiSelfTrace(error, frames) ? pulumiSelfTrace(frames) : jestFormatter(error, frames);
}
