/**
 * Issue 15, item 5: a sandbox worker served one FIFO for every session, so one session pipelining many slow
 * calls (24 calls of 900 ms gave another session a 10.8 s p99) made every co-tenant wait behind all of them.
 * Now each worker serves its sessions round robin: the victim's call waits for at most the offender's call that
 * is already running. Counted in completion order, not wall-clock time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { packCounter } from '../support/edgeClients.ts';

const PIPELINED = 10;

describe('one session pipelining slow calls does not hold up another session on the same worker', () => {
  // One worker: both sessions' sandboxes share it.
  const edge = useEdge(['--sandbox-workers', '1', '--sandbox-call-timeout-ms', '5000']);
  const sessions: RemoteSession[] = [];
  afterAll(() => {
    for (const session of sessions) session.close();
  });

  it("runs the victim's call after at most one of the offender's queued calls", async () => {
    const pkg = await packCounter();
    const victim = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 25_000 });
    const offender = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 25_000 });
    sessions.push(victim, offender);
    const mine = await victim.deploy(pkg);
    const theirs = await offender.deploy(pkg);

    const completions: string[] = [];
    const slow = Array.from({ length: PIPELINED }, (_, i) => theirs.call('slow', 150).then(() => completions.push(`offender ${i}`)));
    // Once the first has finished, the other nine are certainly queued at the worker.
    await slow[0];
    const doneBefore = completions.length;
    await mine.call('add', 1).then(() => completions.push('victim'));
    await Promise.all(slow);

    const victimAt = completions.indexOf('victim');
    // Offender calls that finished after the victim's was sent and before it: the one running then, at most.
    expect(victimAt - doneBefore).toBeLessThanOrEqual(1);
    expect(completions.length).toBe(PIPELINED + 1);
    // The offender's own calls still ran in the order it made them.
    expect(completions.filter((c) => c !== 'victim')).toEqual(Array.from({ length: PIPELINED }, (_, i) => `offender ${i}`));
  });
});
