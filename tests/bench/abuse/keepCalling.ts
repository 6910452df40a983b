import type { NodePackage, RemoteNode, RemoteSession } from '@remotemedia/browser-sdk/node';
import type { AttackContext } from './Attack.ts';
import { codeOf } from './codeOf.ts';

/**
 * Calls `method` on `node` until the window ends. When the node is lost (its sandbox retired or its worker
 * killed), deploys a new one and goes on, so the pressure lasts the whole window as a determined tenant's would.
 */
export async function keepCalling(
  context: AttackContext,
  session: RemoteSession,
  pkg: NodePackage,
  first: RemoteNode,
  method: string,
  args: unknown[] = [],
): Promise<void> {
  let node = first;
  while (!context.signal.aborted && !session.closed) {
    try {
      await node.call(method, ...args);
      context.count(`${method} returned`);
    } catch (error) {
      context.count(`${method} ${codeOf(error)}`);
      try {
        node = await session.deploy(pkg);
      } catch (deployError) {
        context.count(`redeploy ${codeOf(deployError)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
