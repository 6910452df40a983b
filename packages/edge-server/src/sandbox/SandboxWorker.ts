/**
 * Entry point of a sandbox worker thread. Hosts many GuestRuntimes and serves the pool's requests strictly one
 * at a time, in arrival order (QuickJS runs synchronously anyway), posting each result before starting the
 * next. The host schedules fairly between sessions itself and sends ahead only requests known to be cheap; its
 * watchdog, having read the results posted so far, knows exactly which request is running and that none after
 * it has started.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCode, RemoteMediaError, toErrorPayload } from '@remotemedia/shared/errors';
import { loadCodecs, processCoded, usesCodecs } from '../media/FrameCoding.ts';
import { toAcceptedFormat } from '@remotemedia/shared/pipeline';
import { GuestRuntime } from './GuestRuntime.ts';
import { collectTransferables } from './marshal.ts';
import { discardReason, SandboxFailure } from './SandboxFailure.ts';
import { wasmPagesFor } from './SandboxLimits.ts';
import { WarmInstances } from './WarmInstances.ts';
import type { HostToWorker, SandboxWorkerData, WorkerToHost } from './workerProtocol.ts';

const port = parentPort;
if (port === null) throw new Error('SandboxWorker.ts must run as a worker thread');
const { wasmModule, allowFaultInjection, guest: guestBundle, results, warmPages } = workerData as SandboxWorkerData;
/** Requests received and not yet answered. */
let inHand = 0;
const instances = new WarmInstances(wasmModule, () => inHand === 0);
instances.keep(warmPages);

const sandboxes = new Map<string, { guest: GuestRuntime; nodeName: string; maxFrameBytes: number; codecLoadDelayMs: number }>();
let codecsLoad: Promise<void> | undefined;

/** The worker's video codecs, loaded once (the first to need them starts the load). */
function codecsLoaded(delayMs: number): Promise<void> {
  codecsLoad ??= (async () => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    await loadCodecs();
  })();
  return codecsLoad;
}
/** Retired sandboxes and why, so a late request gets SandboxDiscarded instead of "unknown sandbox". */
const retired = new Map<string, string>();

function post(message: WorkerToHost, transfer: ArrayBuffer[] = []): void {
  results.postMessage(message, transfer);
}

async function handle(msg: HostToWorker): Promise<unknown> {
  if (msg.type === 'create') {
    const guest = await GuestRuntime.create({
      wasmModule,
      prelude: guestBundle.prelude,
      edgeModules: guestBundle.edgeModules,
      pkg: msg.pkg,
      nodeName: msg.nodeName,
      limits: msg.limits,
      ctorArgs: msg.ctorArgs,
      state: msg.state,
      restore: msg.restore,
      faults: allowFaultInjection ? msg.faults : undefined,
      onConsole: (entries) => post({ type: 'console', sandboxId: msg.sandboxId, entries }),
      instance: instances.take(wasmPagesFor(msg.limits)),
    });
    const codecLoadDelayMs = (allowFaultInjection ? msg.faults?.codecLoadDelayMs : undefined) ?? 0;
    sandboxes.set(msg.sandboxId, { guest, nodeName: msg.nodeName, maxFrameBytes: msg.limits.maxFrameBytes, codecLoadDelayMs });
    return { methods: [...guest.methods] };
  }
  const entry = sandboxes.get(msg.sandboxId);
  if (msg.type === 'codecs') {
    await codecsLoaded(entry?.codecLoadDelayMs ?? 0);
    return undefined;
  }
  if (msg.type === 'dispose') {
    entry?.guest.dispose();
    sandboxes.delete(msg.sandboxId);
    retired.delete(msg.sandboxId);
    return undefined;
  }
  if (entry === undefined) {
    const reason = retired.get(msg.sandboxId);
    throw new SandboxFailure(
      {
        code: ErrorCode.SandboxDiscarded,
        message: reason === undefined ? 'no such sandbox in this worker' : `the sandbox was discarded because ${reason}`,
      },
      true,
    );
  }
  try {
    switch (msg.type) {
      case 'call': {
        if (msg.mode !== 'process') return entry.guest.call(msg.method, msg.args, msg.mode);
        // The guest always sees raw pixels, in a format it accepts: a compressed frame is decoded here, off the
        // edge's main thread, then converted. The reply is CodedOutputs (the items and the codec times).
        const [item, ...rest] = msg.args;
        if (usesCodecs(item, msg.outputEncoding)) await codecsLoaded(entry.codecLoadDelayMs);
        return processCoded(item, entry.maxFrameBytes, msg.outputEncoding, (raw) => {
          const args = msg.args.length === 0 ? [] : [raw, ...rest];
          return entry.guest.call(msg.method, nodeArgs(entry.guest, msg.method, args), msg.mode) as unknown[];
        });
      }
      case 'snapshot':
        return entry.guest.snapshot();
      case 'memory':
        return entry.guest.memoryUsage();
    }
  } catch (error) {
    if (error instanceof SandboxFailure && error.fatal) {
      entry.guest.dispose();
      sandboxes.delete(msg.sandboxId);
      retired.set(msg.sandboxId, discardReason(error.payload));
    }
    throw error;
  }
}

/** A frame for `process` in a pixel format the class declared it accepts: converted here, off the main thread. */
function nodeArgs(guest: GuestRuntime, method: string, args: unknown[]): unknown[] {
  if (method !== 'process' || guest.acceptedFormats === undefined) return args;
  return [toAcceptedFormat(args[0], guest.acceptedFormats), ...args.slice(1)];
}

async function serve(msg: HostToWorker): Promise<void> {
  const started = performance.now();
  try {
    const value = await handle(msg);
    post({ type: 'result', id: msg.id, ok: true, value, ms: performance.now() - started }, collectTransferables(value));
  } catch (error) {
    const failure =
      error instanceof SandboxFailure
        ? error
        : error instanceof RemoteMediaError
          ? // Refused before or after the guest ran (a frame that cannot be decoded): that frame fails, the instance stays.
            new SandboxFailure(toErrorPayload(error), false)
          : new SandboxFailure(
              {
                code: ErrorCode.Internal,
                message: `the sandbox worker failed to handle a ${msg.type} request: ${error instanceof Error ? error.message : String(error)}`,
              },
              false,
            );
    post({ type: 'result', id: msg.id, ok: false, error: failure.payload, discarded: failure.fatal, ms: performance.now() - started });
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (batch: HostToWorker[]) => {
  inHand += batch.length;
  for (const msg of batch) {
    queue = queue.then(async () => {
      await serve(msg);
      if (--inHand === 0) instances.refill();
    });
  }
});
post({ type: 'ready' });
