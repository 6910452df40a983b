import { RemoteMediaError } from '@remotemedia/shared';
import type { CommandIo } from '../Command.ts';
import { UsageError } from '../UsageError.ts';
import { EXIT_FAILURE, EXIT_USAGE } from './exitCodes.ts';

/**
 * Runs a command body and turns the errors it raises on purpose into one line and an exit code: usage errors
 * exit 2 with a pointer to --help, RemoteMediaErrors exit 1. Anything else is a bug and is rethrown, so the
 * entry point prints it as such.
 */
export async function reportErrors(command: string, io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`remotemedia-edge ${command}: ${error.message} (remotemedia-edge ${command} --help shows the usage)\n`);
      return EXIT_USAGE;
    }
    if (error instanceof RemoteMediaError) {
      io.err(`remotemedia-edge ${command}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
