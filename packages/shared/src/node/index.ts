// Node-only adapters shared by the edge server and the Node client (werift). Kept out of the main
// entry so browsers and the sandbox never load them.
export { createPeer, dropDefaultStun, enlargeSocketBuffers, gatheringComplete, type PeerOptions } from './WeriftPeer.ts';
export { WeriftDataChannel } from './WeriftDataChannel.ts';
export { pathStaysOnThisMachine, sctpChunkBytes, supportsLargeSctpChunks, useLargeSctpChunks } from './LargeSctpChunks.ts';
