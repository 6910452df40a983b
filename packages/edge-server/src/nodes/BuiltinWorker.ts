// Worker-thread entry that runs catalogue nodes off the edge's main thread, where signaling and every
// session's transport live: a heavy built-in (a large Resize, a long Resample) then delays only built-in work.
// It also decodes client state (superjson), whose cost grows with its input, for the same reason.
import { parentPort, workerData } from 'node:worker_threads';
import {
  ErrorCode,
  RemoteMediaError,
  acceptedFormatsOf,
  collectResult,
  createNode,
  toAcceptedFormat,
  toErrorPayload,
  type NodeResult,
  type PipelineNode,
  type PixelFormat,
} from '@remotemedia/shared';
import { drainModelTimings } from '../models/ModelTimings.ts';
import { registerModelRuntimes } from '../models/registerModelRuntimes.ts';
import { processCoded } from '../media/FrameCoding.ts';
import { decodeState } from '../state/decodeState.ts';
import type { BuiltinReply, BuiltinRequest, BuiltinWorkerData } from './builtinProtocol.ts';

interface Hosted {
  node: PipelineNode;
  name: string;
  /** The pixel formats its definition declares: frames are converted here, off the main thread, before it runs. */
  accepts: readonly PixelFormat[] | undefined;
  initialized: boolean;
}

const { nodeLimits, stateLimits } = workerData as BuiltinWorkerData;
const nodes = new Map<string, Hosted>();
const port = parentPort!;
// Model nodes load their model on first use here, once for every session whose nodes this worker hosts.
registerModelRuntimes();

async function ready(hosted: Hosted): Promise<PipelineNode> {
  if (!hosted.initialized) {
    await hosted.node.initialize?.();
    hosted.initialized = true;
  }
  return hosted.node;
}

async function handle(request: BuiltinRequest): Promise<unknown> {
  if (request.type === 'create') {
    const node = createNode(request.name, request.config, nodeLimits);
    const hosted: Hosted = { node, name: request.name, accepts: acceptedFormatsOf(node, request.name), initialized: false };
    // Initialized now, not at the first item: a model that cannot load fails the create (MODEL_LOAD_FAILED).
    await ready(hosted);
    nodes.set(request.nodeId, hosted);
    return undefined;
  }
  if (request.type === 'decode-state') return decodeState(request.state, stateLimits, request.label);
  const hosted = nodes.get(request.nodeId);
  if (hosted === undefined) throw new Error(`no built-in node ${request.nodeId} in this worker`);
  switch (request.type) {
    case 'process': {
      const node = await ready(hosted);
      // Nodes always see raw pixels, in a format they accept: a compressed frame is decoded here, off the edge's
      // main thread, then converted.
      return processCoded(request.item, nodeLimits.maxFrameBytes, request.outputEncoding, (raw) => {
        const item = toAcceptedFormat(raw, hosted.accepts);
        return collectResult(node.process ? node.process(item) : (item as NodeResult<unknown>));
      });
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
  const models = drainModelTimings();
  if (models) reply.models = models;
  try {
    // Copied, not transferred: a node may keep (and reuse) the buffers it emitted, e.g. a window of frames.
    port.postMessage(reply);
  } catch (error) {
    // Structured clone refused the value (a URL in decoded state, a function in an output): say so instead.
    const refused = new RemoteMediaError(
      ErrorCode.InvalidInput,
      `the result cannot be passed on from the built-in worker: ${(error as Error).message}`,
    );
    port.postMessage({ type: 'result', id: request.id, ok: false, error: toErrorPayload(refused), models } satisfies BuiltinReply);
  }
}

// Strictly one request at a time, in arrival order, so the host's watchdog knows which one is running.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: BuiltinRequest) => {
  queue = queue.then(() => serve(request));
});
port.postMessage({ type: 'ready' } satisfies BuiltinReply);
