import type { EdgePhase } from '../lifecycle/EdgePhase.ts';
import type { SandboxPool } from '../sandbox/index.ts';
import type { PackageCache } from '../session/PackageCache.ts';
import type { SessionRegistry } from '../session/SessionRegistry.ts';
import { EDGE_VERSION } from '../version.ts';

/**
 * A sandbox answers memoryUsage() in turn with its other calls, so a busy one would hold /status up for its
 * whole call; past this the memory is reported as null rather than waited for.
 */
const MEMORY_QUERY_TIMEOUT_MS = 500;

export interface StatusInputs {
  startedAt: number;
  phase: EdgePhase;
  registry: SessionRegistry;
  packages: PackageCache;
  pool: SandboxPool;
  maxSessions: number;
}

/** Every live sandbox with its memory (undefined when it did not answer in time). */
export async function sandboxMemory(
  registry: SessionRegistry,
): Promise<Array<{ session: string; nodeId: string; nodeName: string; bytes: number | undefined }>> {
  const entries = registry.all().flatMap((session) => session.sandboxes().map((sandbox) => ({ session: session.id, ...sandbox })));
  return Promise.all(
    entries.map(async ({ session, nodeId, nodeName, node }) => ({
      session,
      nodeId,
      nodeName,
      bytes: await withTimeout(node.memoryUsage(), MEMORY_QUERY_TIMEOUT_MS),
    })),
  );
}

/** The JSON of GET /status. */
export async function statusReport(inputs: StatusInputs): Promise<Record<string, unknown>> {
  const sandboxes = await sandboxMemory(inputs.registry);
  return {
    version: EDGE_VERSION,
    phase: inputs.phase,
    uptimeSeconds: Math.round((Date.now() - inputs.startedAt) / 1000),
    maxSessions: inputs.maxSessions,
    sessions: inputs.registry.all().map((session) => session.describe()),
    packages: inputs.packages.list(),
    sandboxes: sandboxes.map(({ session, nodeId, nodeName, bytes }) => ({ session, nodeId, nodeName, memoryBytes: bytes ?? null })),
    pool: inputs.pool.stats(),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
