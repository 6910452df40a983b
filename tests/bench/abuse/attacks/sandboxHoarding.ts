import type { RemoteSession } from '@remotemedia/browser-sdk/node';
import type { Attack } from '../Attack.ts';
import { attackerSession } from '../attackerSession.ts';
import { codeOf } from '../codeOf.ts';
import { hostilePackage } from '../hostileNode.ts';
import { untilAborted } from '../abortableWait.ts';

const SESSIONS = 8;
const SANDBOXES_PER_SESSION = 16;
const BUILTINS = 1500;

export const sandboxHoarding: Attack = {
  name: 'sandbox-hoarding',
  what: `${SESSIONS} sessions x ${SANDBOXES_PER_SESSION} idle sandboxes (the edge-wide default of 128), and ${BUILTINS} built-in nodes in one more session`,
  sandboxes: SESSIONS * SANDBOXES_PER_SESSION,
  connections: 9,
  async run({ url, signal, ready, count }) {
    const pkg = await hostilePackage();
    const sessions: RemoteSession[] = [];
    await Promise.all(
      Array.from({ length: SESSIONS }, async () => {
        const session = await attackerSession(url);
        sessions.push(session);
        for (let i = 0; i < SANDBOXES_PER_SESSION; i++) {
          try {
            await session.deploy(pkg);
            count('sandbox held');
          } catch (error) {
            count(`deploy ${codeOf(error)}`);
          }
        }
      }),
    );
    const builtins = await attackerSession(url);
    sessions.push(builtins);
    for (let i = 0; i < BUILTINS && !signal.aborted; i++) {
      try {
        await builtins.node('PassThrough', {});
        count('built-in held');
      } catch (error) {
        count(`built-in ${codeOf(error)}`);
        break;
      }
    }
    ready();
    await untilAborted(signal);
    for (const session of sessions) session.close();
  },
};
