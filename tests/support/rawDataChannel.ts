import type { RawChannel } from '@remotemedia/shared';
import { WeriftPeerLink } from '@remotemedia/browser-sdk/node';
import { EdgeReplies } from './edgeReplies.ts';
import { rawSignaling } from './edgeClients.ts';

/**
 * A session whose data channel the test drives chunk by chunk: signaling (hello, offer) as the SDK does it,
 * then the bare werift data channel, with no protocol layer in the way of what the test sends.
 */
export interface RawDataChannel {
  channel: RawChannel;
  replies: EdgeReplies;
  /** Resolves when the data channel closes (the edge may close it on its own). */
  closed: Promise<string>;
  close(): Promise<void>;
}

export async function openRawDataChannel(url: string): Promise<RawDataChannel> {
  const signaling = await rawSignaling(url);
  signaling.ws.on('error', () => undefined);
  await signaling.channel.send({ type: 'hello', sdkVersion: 'raw-datachannel' });
  await signaling.next('welcome');
  const link = new WeriftPeerLink();
  await signaling.channel.send({ type: 'offer', sdp: await link.createOffer() });
  const answer = await signaling.next('answer');
  if (answer.type !== 'answer') throw new Error('expected an SDP answer');
  await link.acceptAnswer(answer.sdp);
  const channel = await link.open;
  const replies = new EdgeReplies();
  const closed = new Promise<string>((resolve) => {
    channel.attach({ onChunk: (chunk) => replies.push(chunk), onDrain: () => undefined, onClose: resolve }, 64 * 1024);
  });
  return {
    channel,
    replies,
    closed,
    async close() {
      link.close();
      signaling.channel.close();
    },
  };
}
