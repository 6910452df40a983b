import type { Attack } from '../Attack.ts';
import { attackerSession } from '../attackerSession.ts';
import { hostilePackage } from '../hostileNode.ts';
import { keepCalling } from '../keepCalling.ts';

export const consoleFlood: Attack = {
  name: 'console-flood',
  what: 'one sandbox whose Array.prototype.toJSON turns each console drain into 200,000 messages, one logging 1,000 x 8 KB per call',
  sandboxes: 2,
  connections: 1,
  async run(context) {
    const session = await attackerSession(context.url);
    let messages = 0;
    session.on('console', () => messages++);
    const pkg = await hostilePackage();
    const amplifier = await session.deploy(pkg);
    const bulk = await session.deploy(pkg);
    context.ready();
    await Promise.all([keepCalling(context, session, pkg, amplifier, 'floodConsole'), keepCalling(context, session, pkg, bulk, 'bigConsole')]);
    context.count('console messages received', messages);
    session.close();
  },
};
