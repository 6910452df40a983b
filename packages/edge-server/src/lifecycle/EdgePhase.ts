/**
 * Where the edge is in its life: it takes sessions only while `ready` (listening, ICE resolved); `closing` from
 * the first close() on, while in-flight work drains and /readyz says why it is refusing.
 */
export type EdgePhase = 'starting' | 'ready' | 'closing';
