import type { RTCPeerConnection } from 'werift';
import type { AnswerMessage, OfferMessage, WelcomeMessage } from '@remotemedia/shared';
import { createPeer, dropDefaultStun, gatheringComplete } from '@remotemedia/shared/node';
import { rawSignaling } from './edgeClients.ts';

export interface AnswerCandidate {
  address: string;
  port: number;
  type: string;
}

export interface RawPeer {
  welcome: WelcomeMessage;
  /** The edge's SDP answer as it came over the wire. */
  answer: string;
  /** The whole answer message (e.g. its `sctpChunks`). */
  answerMessage: AnswerMessage;
  candidates: AnswerCandidate[];
  peer: RTCPeerConnection;
  /** Applies the answer and resolves once the data channel is open (ICE, DTLS and SCTP all done). */
  connect(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A client that speaks the protocol by hand: hello, then a real werift offer (plus `extraCandidateLines`,
 * e.g. a browser's mDNS name), so a test sees the edge's welcome and SDP answer exactly as sent.
 * `offerFields` ride along in the offer message (e.g. `sctpChunks`).
 */
export async function rawPeer(url: string, extraCandidateLines: string[] = [], offerFields: Partial<OfferMessage> = {}): Promise<RawPeer> {
  const raw = await rawSignaling(url);
  await raw.channel.send({ type: 'hello', sdkVersion: '0.1.0' });
  const welcome = (await raw.next('welcome')) as WelcomeMessage;
  const peer = createPeer();
  const channel = peer.createDataChannel('remotemedia', { ordered: true });
  const offer = await peer.createOffer();
  dropDefaultStun(peer);
  await peer.setLocalDescription(offer);
  await gatheringComplete(peer);
  const sdp = peer.localDescription!.sdp.replace(
    /(a=candidate:[^\r\n]*\r\n)/,
    (first) => first + extraCandidateLines.map((line) => `${line}\r\n`).join(''),
  );
  await raw.channel.send({ ...offerFields, type: 'offer', sdp });
  const reply = await raw.next();
  if (reply.type !== 'answer') {
    await peer.close().catch(() => undefined);
    raw.ws.close();
    // The edge's reply rides along, so a test can assert its code and message.
    throw Object.assign(new Error(`expected an answer, got ${JSON.stringify(reply)}`), { reply });
  }
  const answer = reply.sdp;
  const candidates = [...answer.matchAll(/^a=candidate:\S+ \d+ \S+ \d+ (\S+) (\d+) typ (\S+)/gm)].map((m) => ({
    address: m[1]!,
    port: Number(m[2]),
    type: m[3]!,
  }));
  return {
    welcome,
    answer,
    answerMessage: reply,
    candidates,
    peer,
    async connect(timeoutMs = 10_000) {
      const open = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the data channel did not open within ${timeoutMs} ms`)), timeoutMs);
        channel.stateChanged.subscribe((state) => {
          if (state === 'open') {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await peer.setRemoteDescription({ type: 'answer', sdp: answer });
      await open;
    },
    async close() {
      await peer.close().catch(() => undefined);
      raw.ws.close();
    },
  };
}
