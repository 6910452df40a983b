import type { NodePackage } from '@remotemedia/shared/protocol';
import { createLogger } from '../log/Logger.ts';
import { loadGuestBundle } from '../sandbox/bundle/loadGuestBundle.ts';
import { GuestRuntime } from '../sandbox/GuestRuntime.ts';
import { compileQuickJSWasm } from '../sandbox/quickjsWasm.ts';
import { resolveSandboxLimits, type SandboxLimits } from '../sandbox/SandboxLimits.ts';

export interface InProcessGuestRequest {
  pkg: NodePackage;
  ctorArgs?: unknown[];
  limits?: Partial<SandboxLimits>;
}

/** A guest in this thread: calls run synchronously, with the edge's limits and deadline. */
export interface InProcessGuest {
  call(method: string, args: unknown[]): unknown;
  dispose(): void;
}

/**
 * A packed node in the edge's real QuickJS sandbox (what a sandbox worker runs) in this thread, with no worker
 * or edge around it: for benches that time the guest's own work without the thread hop, and for tests that
 * drive a guest call by call.
 */
export async function openInProcessGuest(request: InProcessGuestRequest): Promise<InProcessGuest> {
  const { prelude, edgeModules } = loadGuestBundle(createLogger('warn'));
  const guest = await GuestRuntime.create({
    wasmModule: await compileQuickJSWasm(),
    prelude,
    edgeModules,
    pkg: request.pkg,
    nodeName: request.pkg.manifest.exportName || 'default',
    limits: resolveSandboxLimits(request.limits),
    ctorArgs: request.ctorArgs ?? [],
    state: undefined,
    restore: false,
    faults: undefined,
    onConsole: () => {},
  });
  return { call: (method, args) => guest.call(method, args, 'call'), dispose: () => guest.dispose() };
}
