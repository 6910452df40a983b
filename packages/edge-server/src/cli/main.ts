import { closestNames } from '@remotemedia/shared';
import { EDGE_VERSION } from '../version.ts';
import type { Command, CommandIo } from './Command.ts';
import { drainCommand } from './commands/drain.ts';
import { nodesCommand } from './commands/nodes.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { validateCommand } from './commands/validate.ts';
import { EXIT_OK, EXIT_USAGE } from './io/exitCodes.ts';

const COMMANDS: readonly Command[] = [serveCommand, nodesCommand, validateCommand, runCommand, drainCommand];
const HELP = ['--help', '-h'];
const VERSION = ['--version', '-v'];
const LIST_HINT = '(remotemedia-edge --help lists the commands)';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `remotemedia-edge ${EDGE_VERSION}: the RemoteMedia edge server and tools

Usage: remotemedia-edge <command> [options]     (remotemedia-edge <command> --help for details)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  --help, -h     this list; after a command, that command's usage
  --version, -v  print the version
`;
}

/** Runs one command line; resolves with the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(args: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || HELP.includes(name) || name === 'help') {
    io.out(usage());
    return EXIT_OK;
  }
  if (VERSION.includes(name)) {
    io.out(`remotemedia-edge ${EDGE_VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`remotemedia-edge: ${name.startsWith('-') ? misplacedFlag(name) : unknownCommand(name)}\n`);
    return EXIT_USAGE;
  }
  if (rest.some((arg) => HELP.includes(arg))) {
    io.out(command.usage);
    return EXIT_OK;
  }
  if (rest.some((arg) => VERSION.includes(arg))) {
    io.out(`remotemedia-edge ${EDGE_VERSION}\n`);
    return EXIT_OK;
  }
  return command.run(rest, io);
}

function unknownCommand(name: string): string {
  const names = COMMANDS.map((c) => c.name);
  const [closest] = closestNames(name, names, 1);
  if (closest !== undefined) return `unknown command "${name}"; did you mean "${closest}"? ${LIST_HINT}`;
  return `unknown command "${name}"; the commands are ${names.join(', ')} ${LIST_HINT}`;
}

/** A flag where the command should be: a misspelt --help/--version, or a command's flag given too early. */
function misplacedFlag(flag: string): string {
  const [closest] = flag.startsWith('--') ? closestNames(flag.slice(2), ['help', 'version'], 1) : [];
  if (closest !== undefined) return `unknown flag ${flag}; did you mean --${closest}?`;
  return `${flag} must come after a command: remotemedia-edge <command> ${flag} ${LIST_HINT}`;
}
