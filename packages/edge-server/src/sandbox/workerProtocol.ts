import type { MessagePort } from 'node:worker_threads';
import type { GuestBundle } from './bundle/buildGuestBundle.ts';
import type { ConsoleLevel } from './guest/guestApi.ts';
import type { WasmModule } from './quickjsWasm.ts';
import type { ErrorPayload } from '@remotemedia/shared/errors';
import type { VideoEncoding } from '@remotemedia/shared/frames';
import type { NodePackage } from '@remotemedia/shared/protocol';
import type { SandboxLimits } from './SandboxLimits.ts';

/**
 * Messages between the pool (main thread) and a sandbox worker. They travel by structured clone, which already
 * carries Map, Set, Date, BigInt, undefined and typed arrays, so no extra encoding happens at this hop.
 * The host posts requests in batches (an array per message). A worker handles them strictly in order, one at a
 * time, and posts each result (on the results port) before it starts the next: the host's watchdog and its
 * re-creation of bystanders after a worker loss rely on that.
 */

export interface ConsoleEntry {
  level: ConsoleLevel;
  text: string;
}

/** Test-only faults, honoured only by a pool constructed with `allowFaultInjection`. */
export interface SandboxFaults {
  /** Never interrupt this sandbox: models a guest stuck where QuickJS does not consult its interrupt handler. */
  ignoreInterrupts?: boolean;
  /**
   * Replaces the JSON text of every result the guest encodes: models a prelude subverted by a hook nobody has
   * found yet, so the host's own checks of sizes, offsets and counts can be tested against a real instance.
   */
  forgedResult?: string;
  /** Delays the worker's video codec load this long when this sandbox's frame or request starts it: a loaded machine. */
  codecLoadDelayMs?: number;
}

export type HostToWorker =
  | {
      type: 'create';
      id: number;
      sandboxId: string;
      nodeName: string;
      pkg: NodePackage;
      ctorArgs: unknown[];
      /** Present (and `restore` true) to rebuild an instance from a snapshot instead of calling the constructor. */
      state: unknown;
      restore: boolean;
      limits: SandboxLimits;
      faults: SandboxFaults | undefined;
    }
  | {
      type: 'call';
      id: number;
      sandboxId: string;
      method: string;
      args: unknown[];
      mode: 'call' | 'process';
      /** 'process' only: how the client wants video outputs back (absent: raw). */
      outputEncoding?: VideoEncoding;
    }
  | { type: 'snapshot'; id: number; sandboxId: string }
  | { type: 'memory'; id: number; sandboxId: string }
  /**
   * Loads the worker's video codecs (once per worker), before the first compressed frame for `sandboxId`: under
   * its own budget, not the frame's (loading sharp's addon and compiling mozjpeg's WASM took over 2.5 s on a
   * loaded machine, and inside a frame's call the watchdog then discarded the sandbox).
   */
  | { type: 'codecs'; id: number; sandboxId: string }
  | { type: 'dispose'; id: number; sandboxId: string };

export interface CreatedInfo {
  methods: string[];
}

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; value: unknown /** Time the worker spent on it. */; ms: number }
  | {
      type: 'result';
      id: number;
      ms: number;
      ok: false;
      error: ErrorPayload;
      /** Set when the failure retired the sandbox: later calls are refused with SandboxDiscarded. */
      discarded: boolean;
    }
  | { type: 'console'; sandboxId: string; entries: ConsoleEntry[] };

/** Data handed to each worker at start. */
export interface SandboxWorkerData {
  /** The QuickJS WASM module, compiled once by the pool and shared by every worker and sandbox. */
  wasmModule: WasmModule;
  allowFaultInjection: boolean;
  /** The guest code: the prelude and the modules the edge provides to guests (`edge:shared`). */
  guest: GuestBundle;
  /** Where the worker posts everything it sends the host: a port the host can also read synchronously. */
  results: MessagePort;
  /** Memory size (WASM pages) of the pool's default sandbox: a fresh instance of it is kept ready. */
  warmPages: number;
}
