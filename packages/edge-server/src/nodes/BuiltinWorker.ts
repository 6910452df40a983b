// Worker-thread entry that runs catalogue nodes off the edge's main thread, where signaling and every
// session's transport live: a heavy built-in (a large Resize, a long Resample) then delays only built-in work.
// It also decodes client state (superjson), whose cost grows with its input, for the same reason.
import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCode, RemoteMediaError, collectResult, createNode, toErrorPayload, type NodeResult, type PipelineNode } from '@remotemedia/shared';
import { decodeInputItem, encodeOutputItems } from '../media/FrameCoding.ts';
import { decodeState } from '../state/decodeState.ts';
import type { BuiltinReply, BuiltinRequest, BuiltinWorkerData } from './builtinProtocol.ts';

interface Hosted {
  node: PipelineNode;
  name: string;
  initialized: boolean;
}

const { nodeLimits, stateLimits } = workerData as BuiltinWorkerData;
const nodes = new Map<string, Hosted>();
const port = parentPort!;

async function ready(hosted: Hosted): Promise<PipelineNode> {
  if (!hosted.initialized) {
    await hosted.node.initialize?.();
    hosted.initialized = true;
  }
  return hosted.node;
}

async function handle(request: BuiltinRequest): Promise<unknown> {
  if (request.type === 'create') {
    nodes.set(request.nodeId, { node: createNode(request.name, request.config, nodeLimits), name: request.name, initialized: false });
    return undefined;
  }
  if (request.type === 'decode-state') return decodeState(request.state, stateLimits, request.label);
  const hosted = nodes.get(request.nodeId);
  if (hosted === undefined) throw new Error(`no built-in node ${request.nodeId} in this worker`);
  switch (request.type) {
    case 'process': {
      const node = await ready(hosted);
      // Nodes always see raw pixels: a compressed frame is decoded here, off the edge's main thread.
      const item = await decodeInputItem(request.item, nodeLimits.maxFrameBytes);
      const outputs = await collectResult(node.process ? node.process(item) : (item as NodeResult<unknown>));
      return encodeOutputItems(outputs, request.outputEncoding);
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

async function serve(request: BuiltinRequest): Promise<void> {
  let reply: BuiltinReply;
  try {
    reply = { type: 'result', id: request.id, ok: true, value: await handle(request) };
  } catch (error) {
    const method = request.type === 'create' ? 'create' : request.type;
    const name = request.type === 'create' ? request.name : request.type === 'decode-state' ? undefined : nodes.get(request.nodeId)?.name;
    reply = { type: 'result', id: request.id, ok: false, error: toErrorPayload(error, { nodeName: name, method }) };
  }
  try {
    // Copied, not transferred: a node may keep (and reuse) the buffers it emitted, e.g. a window of frames.
    port.postMessage(reply);
  } catch (error) {
    // Structured clone refused the value (a URL in decoded state, a function in an output): say so instead.
    const refused = new RemoteMediaError(
      ErrorCode.InvalidInput,
      `the result cannot be passed on from the built-in worker: ${(error as Error).message}`,
    );
    port.postMessage({ type: 'result', id: request.id, ok: false, error: toErrorPayload(refused) } satisfies BuiltinReply);
  }
}

// Strictly one request at a time, in arrival order, so the host's watchdog knows which one is running.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: BuiltinRequest) => {
  queue = queue.then(() => serve(request));
});
port.postMessage({ type: 'ready' } satisfies BuiltinReply);
