// @remotemedia/edge-server/testing: what the SDK's `runNode(..., { sandbox: true })` loads to run a node in the
// edge's sandbox without an edge process.
export { openSandboxNode } from './openSandboxNode.ts';
export { openInProcessGuest, type InProcessGuest, type InProcessGuestRequest } from './openInProcessGuest.ts';
