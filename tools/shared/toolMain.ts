/**
 * How every command-line tool here starts and ends: `main(argv, io)` returns the exit code and
 * writes only through `io`, so the same code runs as a process (`runAsCommand`) and in a test's
 * process (with buffers for `io`). A thrown error ends the command with one sentence and exit 1 —
 * never a stack trace, which shows this machine's paths and nothing a user can act on.
 */
export interface ToolIO {
  /** One block of output for stdout (a newline is added). */
  out(text: string): void;
  /** One block of output for stderr (a newline is added). */
  err(text: string): void;
}

export type ToolMain = (argv: readonly string[], io: ToolIO) => Promise<number>;

export const processIO: ToolIO = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
};

/** The first line of what was thrown, as a sentence a user can read. */
export function describeThrown(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] || "an unexpected error without a message";
}

/**
 * Ends the process once stdout and stderr have handed everything written to the OS. `process.exit`
 * alone drops what a pipe has not taken yet: a slow reader (`| jq`, a CI step) got the first 64 KiB
 * of a plan and a JSON parse error. Each stream answers an empty write after all earlier ones.
 */
export function exitAfterOutput(code: number): void {
  let open = 2;
  const exitWhenBothFlushed = () => {
    open -= 1;
    if (open === 0) process.exit(code);
  };
  process.stdout.write("", exitWhenBothFlushed);
  process.stderr.write("", exitWhenBothFlushed);
}

/** Runs `main` as this process's command: its code is the exit code; a throw is one sentence and exit 1. */
export function runAsCommand(tool: string, main: ToolMain): void {
  // Ended by a signal, the command still runs its exit handlers, which stop the servers it started.
  for (const [signal, number] of [
    ["SIGINT", 2],
    ["SIGTERM", 15],
    ["SIGHUP", 1],
  ] as const) {
    process.once(signal, () => {
      processIO.err(`${tool}: stopped by ${signal}.`);
      process.exit(128 + number);
    });
  }
  main(process.argv.slice(2), processIO).then(
    (code) => exitAfterOutput(code),
    (error: unknown) => {
      processIO.err(`${tool}: ${describeThrown(error)}`);
      exitAfterOutput(1);
    },
  );
}
