import { packSources, type NodePackage } from '@remotemedia/browser-sdk/node';

/**
 * Guest code the attacks deploy. Each method is something a tenant may legitimately send: the sandbox has to
 * contain it, and the edge has to keep every other tenant's service while it does.
 */
export const HOSTILE_SOURCE = `
export class Hostile {
  idle() { return 0; }
  // One native call the interrupt handler never sees: a quadratic search that runs far past the deadline.
  pin() { const hay = 'a'.repeat(1 << 18); return hay.indexOf('a'.repeat(1 << 16) + 'b'); }
  // Pure CPU up to just under the call deadline.
  slow(ms) { const end = Date.now() + ms; while (Date.now() < end) {} return ms; }
  // A toJSON hook on Array.prototype runs inside the prelude's console draining: one log line becomes 200,000.
  floodConsole() {
    Array.prototype.toJSON = function () { const out = []; for (let i = 0; i < 200000; i++) out[i] = { level: 'log', text: 'x' }; return out; };
    console.log('flood');
    return 1;
  }
  // Within the guest's own caps: 1,000 lines of 8 KB per call.
  bigConsole() { const line = 'y'.repeat(8000); for (let i = 0; i < 1000; i++) console.log(line); return 1; }
}
`;

let packed: Promise<NodePackage> | undefined;

export function hostilePackage(): Promise<NodePackage> {
  packed ??= packSources({ sources: { 'hostile.js': HOSTILE_SOURCE }, entry: 'hostile.js', exportName: 'Hostile' });
  return packed;
}
