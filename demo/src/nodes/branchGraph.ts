/**
 * The demo's two-branch graph: the camera goes to two edge nodes at once, and each branch is drawn on its own
 * canvas. Each connection holds one frame and drops the oldest, so a slower branch skips frames instead of
 * holding the camera (or the other branch) back.
 */
export const BRANCHES = [
  { id: 'gray', node: 'Grayscale', config: {}, caption: 'Branch 1 on the edge: Grayscale' },
  { id: 'motion', node: 'MotionDetector', config: { cellSize: 16 }, caption: 'Branch 2 on the edge: MotionDetector (moving regions boxed)' },
] as const;

export type BranchId = (typeof BRANCHES)[number]['id'];

export const BRANCH_MANIFEST = {
  version: 1,
  nodes: BRANCHES.map(({ id, node, config }) => ({ id, node, config, placement: 'remote' })),
  connections: BRANCHES.map(({ id }) => ({ from: 'input', to: id, queue: { capacity: 1, policy: 'drop-oldest' } })),
};
