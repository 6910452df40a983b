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
}

/**
 * Self time per function in a `node --cpu-prof` profile, largest first, as a share of the busy (non-idle)
 * time: "what dominates". Functions are named `name file:line`; `(garbage collector)` and `(program)` are V8's.
 */
export function cpuProfileSummary(path: string, top = 15): Array<{ fn: string; selfMs: number; busyShare: number }> {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<string, number>();
  profile.samples.forEach((id, index) => {
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
