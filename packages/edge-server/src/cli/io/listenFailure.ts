import { EXIT_FAILURE, EXIT_USAGE } from './exitCodes.ts';
import { findPortOwner } from './findPortOwner.ts';

/**
 * The edge's HTTP server could not listen: one line saying why and which setting fixes it, with the exit code,
 * or undefined for a failure this does not recognise. An address that is not this machine's is a setting that
 * cannot work here (2, like any bad setting); a port in use may free up, so it is a failure of this run (1).
 */
export function listenFailure(error: unknown): { message: string; exitCode: number } | undefined {
  const { code, port, address } = error as { code?: unknown; port?: unknown; address?: unknown };
  if (typeof address !== 'string') return undefined;
  if (code === 'EADDRINUSE' && typeof port === 'number') {
    const owner = findPortOwner(port);
    const who = owner === undefined ? 'another process' : `${owner.name} (pid ${owner.pid})`;
    return {
      message: `port ${port} on ${address} is already in use by ${who}: stop it, or choose another port with --port <n> (--port 0 picks a free one)`,
      exitCode: EXIT_FAILURE,
    };
  }
  if (code === 'EADDRNOTAVAIL') {
    return {
      message: `${address} is not an address of this machine: set --host to one of its addresses (127.0.0.1 keeps the edge private, 0.0.0.0 listens on all)`,
      exitCode: EXIT_USAGE,
    };
  }
  return undefined;
}
