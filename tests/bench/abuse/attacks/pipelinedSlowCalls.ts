import type { Attack } from '../Attack.ts';
import { attackerSession } from '../attackerSession.ts';
import { codeOf } from '../codeOf.ts';
import { hostilePackage } from '../hostileNode.ts';

const NODES = 4;
const IN_FLIGHT_PER_NODE = 6;
const CALL_MS = 900;

export const pipelinedSlowCalls: Attack = {
  name: 'fairness-pipelined-slow-calls',
  what: `${NODES} sandboxes with ${IN_FLIGHT_PER_NODE} calls of ${CALL_MS} ms CPU each always queued (${NODES * IN_FLIGHT_PER_NODE} in flight)`,
  sandboxes: NODES,
  connections: 1,
  cpuBound: true,
  async run({ url, signal, ready, count }) {
    const session = await attackerSession(url);
    const pkg = await hostilePackage();
    const nodes = [];
    for (let i = 0; i < NODES; i++) nodes.push(await session.deploy(pkg));
    ready();
    // Several calls in flight per node, each within the deadline: nothing here is an error, only a queue.
    await Promise.all(
      nodes.flatMap((node) =>
        Array.from({ length: IN_FLIGHT_PER_NODE }, async () => {
          while (!signal.aborted && !session.closed) {
            try {
              await node.call('slow', CALL_MS);
              count('slow call done');
            } catch (error) {
              count(`slow call ${codeOf(error)}`);
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
        }),
      ),
    );
    session.close();
  },
};
