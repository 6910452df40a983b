/** One `remotemedia-edge <name>` command. Output for people goes to `io.out`; problems to `io.err`. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Width of the terminal `err` writes to, or undefined when it is not a terminal (a file, a pipe, a CI log). */
  errColumns(): number | undefined;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full usage, printed by `<name> --help`. */
  readonly usage: string;
  /** Resolves with the process exit code. */
  run(args: string[], io: CommandIo): Promise<number>;
}
