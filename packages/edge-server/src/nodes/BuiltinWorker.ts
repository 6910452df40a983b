// Worker-thread entry that runs catalogue nodes off the edge's main thread, where signaling and every
// session's transport live: a heavy built-in (a large Resize, a long Resample) then delays only its own frames.
import { parentPort } from 'node:worker_threads';
import { collectResult, createNode, toErrorPayload, type NodeResult, type PipelineNode } from '@remotemedia/shared';
import type { BuiltinReply, BuiltinRequest } from './builtinProtocol.ts';

interface Hosted {
  node: PipelineNode;
  name: string;
  initialized: boolean;
}

const nodes = new Map<string, Hosted>();
const port = parentPort!;

async function ready(hosted: Hosted): Promise<PipelineNode> {
  if (!hosted.initialized) {
    await hosted.node.initialize?.();
    hosted.initialized = true;
  }
  return hosted.node;
}

async function handle(request: BuiltinRequest): Promise<unknown[] | undefined> {
  if (request.type === 'create') {
    nodes.set(request.nodeId, { node: createNode(request.name, request.config), name: request.name, initialized: false });
    return undefined;
  }
  const hosted = nodes.get(request.nodeId);
  if (hosted === undefined) throw new Error(`no built-in node ${request.nodeId} in this worker`);
  switch (request.type) {
    case 'process': {
      const node = await ready(hosted);
      return collectResult(node.process ? node.process(request.item) : (request.item as NodeResult<unknown>));
    }
    case 'flush': {
      const node = await ready(hosted);
      return node.flush ? collectResult(node.flush()) : [];
    }
    case 'dispose':
      nodes.delete(request.nodeId);
      if (hosted.initialized) await hosted.node.cleanup?.();
      return undefined;
  }
}

port.on('message', (request: BuiltinRequest) => {
  handle(request).then(
    (items) => {
      // Copied, not transferred: a node may keep (and reuse) the buffers it emitted, e.g. a window of frames.
      port.postMessage({ id: request.id, ok: true, ...(items ? { items } : {}) } satisfies BuiltinReply);
    },
    (error: unknown) => {
      const method = request.type === 'create' ? 'create' : request.type;
      const name = request.type === 'create' ? request.name : nodes.get(request.nodeId)?.name;
      port.postMessage({ id: request.id, ok: false, error: toErrorPayload(error, { nodeName: name, method }) } satisfies BuiltinReply);
    },
  );
});
