// Child process of `npm run bench:werift`: one werift peer that echoes every data-channel message. The
// parent sends the offer over IPC and gets the answer back, plus which werift file this process loaded
// (the installed, patched one, or a pristine copy chosen with useWeriftDir.mjs).
import { createAnswerSdp, createTestPeer } from '../support/weriftPair.ts';

interface Offer {
  type: 'offer';
  sdp: string;
}

process.on('message', (message: Offer) => {
  if (message.type !== 'offer') return;
  const peer = createTestPeer();
  peer.onDataChannel.subscribe((channel) => channel.onMessage.subscribe((data) => channel.send(typeof data === 'string' ? Buffer.from(data) : data)));
  createAnswerSdp(peer, message.sdp).then(
    (sdp) => process.send!({ type: 'answer', sdp, werift: import.meta.resolve('werift') }),
    (error: unknown) => process.send!({ type: 'error', message: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
