import { RTCPeerConnection } from 'werift';

export interface PeerOptions {
  /** Extra host addresses to offer (werift leaves out loopback unless asked). */
  additionalHostAddresses?: string[];
}

/**
 * A werift peer that never talks to a STUN server.
 *
 * werift substitutes a public STUN server when none is configured (its ICE Connection defaults
 * `stunServer`), which means a DNS lookup and packets leaving the machine on every connection. An edge
 * reached directly needs only host candidates, so we clear `stunServer` on each ICE transport before
 * gathering starts (`setLocalDescription`).
 */
export function createPeer(options: PeerOptions = {}): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceAdditionalHostAddresses: options.additionalHostAddresses ?? ['127.0.0.1'],
    iceUseIpv6: false,
  });
}

/** Call after the transports exist (after setRemoteDescription / createDataChannel) and before gathering. */
export function disableStun(peer: RTCPeerConnection): void {
  for (const transport of peer.iceTransports) {
    (transport.connection as { stunServer?: unknown }).stunServer = undefined;
  }
}

/** Resolves once ICE gathering is complete, so the SDP we send carries every candidate (no trickle). */
export async function gatheringComplete(peer: RTCPeerConnection, timeoutMs = 5000): Promise<void> {
  if (peer.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      subscription.unSubscribe();
      resolve();
    }, timeoutMs);
    const subscription = peer.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        clearTimeout(timer);
        subscription.unSubscribe();
        resolve();
      }
    });
  });
}

interface DgramLike {
  setRecvBufferSize(size: number): void;
  setSendBufferSize(size: number): void;
}

/**
 * Raises the UDP socket buffers of every gathered candidate. With the kernel default, bursts of SCTP
 * packets (a 300 KB frame is ~250 datagrams) overflow the receive buffer, and werift's 1 s minimum
 * retransmission timeout turns each overflow into a one-second stall (measured-facts.md: p99 1,047 ms ->
 * 30 ms between werift processes). The kernel caps the size at net.core.rmem_max / wmem_max.
 */
export function enlargeSocketBuffers(peer: RTCPeerConnection, bytes = 4 * 1024 * 1024): void {
  for (const transport of peer.iceTransports) {
    const protocols = (transport.connection as unknown as { protocols?: Array<{ transport?: { socket?: DgramLike } }> }).protocols ?? [];
    for (const protocol of protocols) {
      const socket = protocol.transport?.socket;
      if (socket === undefined) continue;
      try {
        socket.setRecvBufferSize(bytes);
        socket.setSendBufferSize(bytes);
      } catch {
        // A socket that is not bound yet or a kernel that refuses the size keeps its default: slower, still correct.
      }
    }
  }
}
