import type { Command, CommandIo } from './Command.ts';
import { nodesCommand } from './commands/nodes.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { validateCommand } from './commands/validate.ts';

const COMMANDS: readonly Command[] = [serveCommand, nodesCommand, validateCommand, runCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `remotemedia-edge: the RemoteMedia edge server and tools

Usage: remotemedia-edge <command> [options]     (remotemedia-edge <command> --help for details)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
`;
}

/** Runs one command line; resolves with the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(args: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`remotemedia-edge: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  return command.run(rest, io);
}
