import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  /** Microseconds on the monotonic clock `process.hrtime` reads (CLOCK_MONOTONIC on Linux), as are the samples. */
  startTime: number;
}

/** A span of the monotonic clock, microseconds (as `process.hrtime.bigint() / 1000n`). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/**
 * Self time per function in a `node --cpu-prof` profile, largest first, as a share of the busy (non-idle)
 * time: "what dominates". Functions are named `name file:line`; `(garbage collector)` and `(program)` are V8's.
 * With `windows`, only samples taken inside one of them count (e.g. the measured part of a run, so a process's
 * start-up — module loading, compiling — does not drown the steady state).
 */
export function cpuProfileSummary(
  path: string,
  top = 15,
  windows?: readonly ProfileWindow[],
): Array<{ fn: string; selfMs: number; busyShare: number }> {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if (windows !== undefined && !windows.some((w) => at >= w.fromUs && at <= w.toUs)) return;
    const { callFrame } = byId.get(id)!;
    const fn =
      callFrame.url === ''
        ? callFrame.functionName
        : `${callFrame.functionName || '(anonymous)'} ${basename(callFrame.url)}:${callFrame.lineNumber + 1}`;
    selfMs.set(fn, (selfMs.get(fn) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const busy = [...selfMs].filter(([fn]) => fn !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
  return [...selfMs]
    .filter(([fn]) => fn !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, selfMs: Math.round(ms), busyShare: Math.round((ms / busy) * 1000) / 10 }));
}
