import type { NodeDriver, SandboxNodeRequest } from '@remotemedia/browser-sdk/node';
import { SandboxedNode } from '../nodes/SandboxedNode.ts';
import { SandboxPool } from '../sandbox/index.ts';

/**
 * A packed node in a real QuickJS sandbox with no edge around it, for `runNode(..., { sandbox: true })`: its own
 * one-worker SandboxPool with the edge's default limits (or the request's), and the SandboxedNode a session
 * would hold, so process, flush, errors and console output are the edge's own. Closing frees the pool.
 */
export async function openSandboxNode(request: SandboxNodeRequest): Promise<NodeDriver> {
  const pool = new SandboxPool({ workers: 1, ...(request.limits !== undefined ? { limits: request.limits } : {}) });
  let node: SandboxedNode;
  try {
    const sandbox = await pool.create({
      pkg: request.pkg,
      ctorArgs: request.ctorArgs,
      onConsole: (entry) => request.onConsole({ level: entry.level, text: entry.text }),
    });
    node = new SandboxedNode(sandbox);
  } catch (error) {
    await pool.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    nodeName: node.name,
    methods: node.methods,
    process: async (input) => (await node.process(input)).items,
    flush: () => node.flush(),
    call: (method) => node.call(method, []),
    close: () => {
      closing ??= node.dispose().finally(() => pool.close());
      return closing;
    },
  };
}
