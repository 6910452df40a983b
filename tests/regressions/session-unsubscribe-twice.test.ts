import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';

// `session.on()` returned an unsubscribe that spliced `indexOf(listener)` without checking for -1, so calling
// it a second time removed whichever listener was last in the list: someone else's.
describe('regression: unsubscribing a session listener twice', () => {
  const edge = useEdge();

  it('leaves the other listeners of the event subscribed', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const heardByOther: string[] = [];
    const heardByGone: string[] = [];
    const unsubscribe = session.on('close', (reason) => heardByGone.push(reason));
    session.on('close', (reason) => heardByOther.push(reason));
    unsubscribe();
    unsubscribe();
    session.close();
    expect(heardByOther).toEqual(['closed by the client']);
    expect(heardByGone).toEqual([]);
  });

  it('removes only one registration when the same function was added twice', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const heard: string[] = [];
    const listener = (reason: string): void => {
      heard.push(reason);
    };
    const first = session.on('close', listener);
    session.on('close', listener);
    first();
    first();
    session.close();
    expect(heard).toEqual(['closed by the client']);
  });
});
