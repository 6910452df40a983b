import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';

/**
 * Issue 15: connect() to a full edge failed with SESSION_CLOSED (the socket's close overtook the edge's
 * typed refusal), so an application could not tell "full, retry later" from "closed". It now fails with the
 * edge's own error: TOO_MANY_SESSIONS, retryable, with the edge's message.
 */
describe('regression: the SDK reports a full edge as TOO_MANY_SESSIONS', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--max-sessions', '1']);

  it('rejects connect() with the code the edge sent, for both transports', async () => {
    const holder = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      for (const transport of ['websocket', 'auto'] as const) {
        const refused = (await connect(edge.url, { transport }).catch((error: unknown) => error)) as {
          code?: string;
          retryable?: boolean;
          message?: string;
        };
        expect(refused.code).toBe('TOO_MANY_SESSIONS');
        expect(refused.retryable).toBe(true);
        expect(refused.message).toContain('maximum of 1 session');
      }
    } finally {
      holder.close();
    }
  });
});
