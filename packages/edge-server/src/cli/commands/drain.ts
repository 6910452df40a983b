import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import type { Command } from '../Command.ts';
import { EXIT_OK } from '../io/exitCodes.ts';
import { parseCommandArgs } from '../io/parseCommandArgs.ts';
import { reportErrors } from '../io/reportErrors.ts';
import { UsageError } from '../UsageError.ts';

/** Time the edge gets to move its sessions before the command gives up waiting (the drain goes on). */
const DRAIN_TIMEOUT_MS = 120_000;

export const drainCommand: Command = {
  name: 'drain',
  summary: 'move every session of a cluster edge to the other edges (live migration)',
  usage: `remotemedia-edge drain <edge-url> [--auth-token <token>]

Asks the edge at <edge-url> (one started with --redis) to move its sessions to the other edges of its cluster:
each session's persistent nodes are snapshotted into Redis, its client is sent to the least loaded other
edge and resumes there with its state. In-flight frames are answered or reported dropped, none vanish. The
edge then stays up, sends every new client elsewhere and reports not ready on /readyz until it is stopped.
SIGTERM to an edge in cluster mode drains it the same way before it exits.

  --auth-token <token>   the edge's token, when it has one (default: REMOTEMEDIA_AUTH_TOKEN). Without a
                         token an edge accepts a drain only from its own machine.
`,
  run(args, io) {
    return reportErrors('drain', io, async () => {
      const { values, positionals } = parseCommandArgs(args, { 'auth-token': { type: 'string', value: 'token' } }, { names: ['edge-url'] });
      const edge = positionals[0];
      if (edge === undefined || !URL.canParse(edge) || !/^https?:$/.test(new URL(edge).protocol)) {
        throw new UsageError("give the edge's http:// or https:// URL, e.g. remotemedia-edge drain http://127.0.0.1:8080");
      }
      const token = values['auth-token'] ?? process.env.REMOTEMEDIA_AUTH_TOKEN;
      const url = new URL('/drain', edge);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(DRAIN_TIMEOUT_MS),
        });
      } catch (error) {
        throw new RemoteMediaError(ErrorCode.ConnectionFailed, `could not reach the edge at ${url.origin}: ${(error as Error).message}`);
      }
      const body = await response.text();
      if (!response.ok)
        throw new RemoteMediaError(ErrorCode.ConnectionFailed, `the edge refused the drain (${response.status}): ${body.trim().slice(0, 300)}`);
      const result = JSON.parse(body) as { moved: number; failed: number; stayed: number };
      io.out(`moved ${result.moved} session(s) to other edges; ${result.failed} failed; ${result.stayed} had no other edge to go to\n`);
      return EXIT_OK;
    });
  },
};
