import type { Attack } from '../Attack.ts';
import { attackerSession } from '../attackerSession.ts';
import { hostilePackage } from '../hostileNode.ts';
import { keepCalling } from '../keepCalling.ts';

const NODES = 4;

export const workerPin: Attack = {
  name: 'worker-pin',
  what: `${NODES} sandboxes (spread over every worker) each loop a native quadratic indexOf that ignores the deadline`,
  sandboxes: NODES,
  connections: 1,
  cpuBound: true,
  async run(context) {
    const session = await attackerSession(context.url);
    const pkg = await hostilePackage();
    const nodes = [];
    for (let i = 0; i < NODES; i++) nodes.push(await session.deploy(pkg));
    context.ready();
    await Promise.all(nodes.map((node) => keepCalling(context, session, pkg, node, 'pin')));
    session.close();
  },
};
