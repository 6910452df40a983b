import {
  DEFAULT_SCTP_CHUNK_BYTES,
  ErrorCode,
  PendingRequests,
  ProtocolChannel,
  RemoteMediaError,
  parseEdgeMessage,
  type AnswerMessage,
  type ClientMessage,
  type EdgeMessage,
  type RedirectMessage,
  type SendPriority,
  type TransportKind,
  type TypedEmitter,
  type Unversioned,
  type WelcomeMessage,
} from '@remotemedia/shared';
import type { PeerLink } from '../transport/PeerLink.ts';
import { SDK_VERSION } from '../version.ts';
import { EdgeClock } from './EdgeClock.ts';
import { EdgeRedirect } from './EdgeRedirect.ts';
import type { RemoteSessionEvents } from './RemoteSessionEvents.ts';
import type { ClientChannel, ReconnectOptions, SessionLink } from './SessionLink.ts';
import type { SessionState } from './SessionStats.ts';

/** Edge messages that answer the connection itself rather than a request. */
export type ConnectionSignal = WelcomeMessage | AnswerMessage;

/** What the connection tells the rest of the session; the session wires these to its parts. */
export interface ConnectionHooks {
  /** Every message from the edge, whichever channel carried it. */
  message(message: EdgeMessage): void;
  /** The edge sent something unreadable; the channel itself keeps working. */
  invalid(error: RemoteMediaError): void;
  /** A handshake completed (first connect or reconnect); `hello` went out at `sentAt`, welcome came at `receivedAt`. */
  welcomed(welcome: WelcomeMessage, exchange: { sentAt: number; receivedAt: number }): void;
  /** The connection dropped: work in flight can no longer be answered and must fail with `error`. */
  dropped(error: RemoteMediaError): void;
  /** Reconnected to an edge that lacks some of the session's nodes: make every other node again; resolves with how many. */
  recreate(present: ReadonlySet<string>): Promise<number>;
  /** The session is ending for good: everything pending fails with `error`. */
  closing(error: RemoteMediaError): void;
}

/**
 * The session's connection to its edge: the signaling WebSocket, the WebRTC peer and its data channel, the
 * handshake, the close cascade, and reconnecting with backoff and the resume token when the link drops.
 */
export class SessionConnection {
  private readonly link: SessionLink;
  private readonly reconnectOptions: Required<ReconnectOptions> | undefined;
  private readonly events: TypedEmitter<RemoteSessionEvents>;
  private readonly hooks: ConnectionHooks;
  private readonly signals = new PendingRequests<ConnectionSignal['type'], ConnectionSignal>();
  private signaling: ClientChannel;
  private dataChannel: ClientChannel | undefined;
  private peer: PeerLink | undefined;
  private retired = { bytesSent: 0, bytesReceived: 0 };
  private stateNow: SessionState = 'connected';
  private closedReason: string | undefined;
  private welcomeNow: WelcomeMessage | undefined;
  private reconnectCount = 0;
  private fallback: string | undefined;
  /** The edge the session is on (its URL as given to connect, or as an edge redirected to). */
  private edgeNow: string;
  /** Where a draining edge said to go next: tried first by the next reconnect. */
  private movedTo: string | undefined;
  /** Sockets of edges that redirected the handshake elsewhere: their close is not a disconnect. */
  private readonly leaving = new WeakSet<ClientChannel>();

  constructor(
    link: SessionLink,
    signaling: ClientChannel,
    edge: string,
    reconnect: ReconnectOptions | false | undefined,
    events: TypedEmitter<RemoteSessionEvents>,
    hooks: ConnectionHooks,
  ) {
    this.link = link;
    this.events = events;
    this.hooks = hooks;
    this.reconnectOptions = reconnect === false ? undefined : { maxAttempts: 10, initialDelayMs: 250, maxDelayMs: 5000, ...reconnect };
    this.signaling = signaling;
    this.edgeNow = edge;
    this.attachSignaling(signaling);
  }

  /** The URL of the edge the session is on now. */
  get edge(): string {
    return this.edgeNow;
  }

  get state(): SessionState {
    return this.stateNow;
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** The last `welcome`: session id, resume token, the edge's limits. */
  get welcome(): WelcomeMessage | undefined {
    return this.welcomeNow;
  }

  get transport(): TransportKind {
    return this.dataChannel?.isOpen ? 'datachannel' : 'websocket';
  }

  /** Why traffic is on the WebSocket although the data channel was wanted, else undefined. */
  get fallbackReason(): string | undefined {
    return this.fallback;
  }

  /** User data bytes per SCTP DATA chunk the open data channel sends; undefined off the data channel. */
  get sctpChunkBytes(): number | undefined {
    return this.dataChannel?.isOpen ? (this.peer?.sctpChunkBytes ?? DEFAULT_SCTP_CHUNK_BYTES) : undefined;
  }

  get reconnects(): number {
    return this.reconnectCount;
  }

  /** Bytes over every channel this session has used, replaced ones included. */
  get bytes(): { bytesSent: number; bytesReceived: number } {
    const channels = [this.signaling, this.dataChannel].filter((c): c is ClientChannel => c !== undefined);
    return {
      bytesSent: this.retired.bytesSent + channels.reduce((sum, c) => sum + c.bytesSent, 0),
      bytesReceived: this.retired.bytesReceived + channels.reduce((sum, c) => sum + c.bytesReceived, 0),
    };
  }

  /** Throws the typed reason no new work can start; reconnecting's own (`internal`) work may while it runs. */
  assertUsable(internal = false): void {
    if (this.closedReason !== undefined) {
      throw new RemoteMediaError(ErrorCode.SessionClosed, `the session is closed (${this.closedReason})`);
    }
    if (this.stateNow === 'reconnecting' && !internal) {
      throw new RemoteMediaError(ErrorCode.ConnectionClosed, 'the connection to the edge dropped; reconnecting', { retryable: true });
    }
  }

  /** Sends on the data channel when it is open, else on the signaling WebSocket. */
  send(message: Unversioned<ClientMessage>, priority?: SendPriority): Promise<void> {
    const active = this.dataChannel?.isOpen ? this.dataChannel : this.signaling;
    return active.send(message, priority);
  }

  /** Hands the connection's own answers (`welcome`, `answer`) to whoever waits for them. */
  deliver(signal: ConnectionSignal): void {
    this.signals.resolve(signal.type, signal);
  }

  /** The edge refused the hello (TOO_MANY_SESSIONS...): that error is the handshake's answer, ahead of the close. */
  refused(error: RemoteMediaError): boolean {
    return this.signals.reject('welcome', error);
  }

  /**
   * The edge lost its end of the data channel (PEER_WORKER_LOST: the edge thread that ran the peer failed),
   * which this side's WebRTC stack would notice only after its consent checks time out: close it now, so
   * traffic moves to the WebSocket at once.
   */
  dataChannelLost(reason: string): void {
    this.dataChannel?.close(`the edge lost its end of the data channel: ${reason}`);
    this.peer?.close();
  }

  /**
   * An edge of a cluster sent this client elsewhere: in answer to `hello` (the handshake moves there), or
   * before it closes a session it moved away while draining (the reconnect goes there first).
   */
  redirected(message: RedirectMessage): void {
    this.movedTo = message.url;
    // The edge closes this socket next: during a handshake that close is expected, not a dropped connection.
    if (this.signals.reject('welcome', new EdgeRedirect(message.url))) this.leaving.add(this.signaling);
  }

  /**
   * Handshake on the current signaling socket (following one redirect to another edge of a cluster), then
   * move traffic to a data channel when the link wants one.
   */
  async establish(resumeToken: string | undefined): Promise<WelcomeMessage> {
    let welcome: WelcomeMessage;
    try {
      welcome = await this.handshake(this.link.connectTimeoutMs, resumeToken);
    } catch (error) {
      if (!(error instanceof EdgeRedirect)) throw error;
      this.movedTo = undefined;
      const previous = this.signaling;
      this.attachSignaling(await this.link.openSignaling(error.url));
      this.edgeNow = error.url;
      this.retire(previous);
      previous.close('redirected to another edge');
      // `redirected` tells that edge to serve this client, so a redirect can never loop.
      welcome = await this.handshake(this.link.connectTimeoutMs, resumeToken, true);
    }
    if (this.link.createPeer !== undefined) {
      try {
        await this.upgradeToDataChannel(this.link.createPeer({ iceServers: welcome.iceServers ?? [] }), this.link.dataChannelTimeoutMs);
        this.fallback = undefined;
      } catch (error) {
        if (this.link.requireDataChannel) throw error;
        this.fallback = `WebRTC unavailable (${(error as Error).message}); using the WebSocket`;
      }
    }
    return welcome;
  }

  /** Ends the session; `resumable` keeps it on the edge for its grace period instead of saying `bye`. Idempotent. */
  close(resumable: boolean): void {
    // `bye` is queued before the socket's close, so it goes out first.
    if (!resumable && this.closedReason === undefined && this.stateNow === 'connected') {
      void this.signaling.send({ type: 'bye' }).catch(() => undefined);
    }
    this.shutdown(resumable ? 'closed by the client (resumable)' : 'closed by the client');
  }

  /** Sends `hello` (with a resume token to reattach to an earlier session) and waits for `welcome`. */
  private async handshake(timeoutMs: number, resumeToken?: string, redirected = false): Promise<WelcomeMessage> {
    const hello = { type: 'hello', sdkVersion: SDK_VERSION, ...(resumeToken ? { resumeToken } : {}), ...(redirected ? { redirected } : {}) } as const;
    const sentAt = EdgeClock.now();
    const welcome = (await this.ask('welcome', timeoutMs, 'hello', () => this.signaling.send(hello))) as WelcomeMessage;
    this.welcomeNow = welcome;
    this.signaling.limitOutgoing(welcome.limits);
    this.hooks.welcomed(welcome, { sentAt, receivedAt: EdgeClock.now() });
    return welcome;
  }

  /** Negotiates a peer connection over the signaling socket and moves traffic to its data channel. */
  private async upgradeToDataChannel(peer: PeerLink, timeoutMs: number): Promise<void> {
    this.peer?.close();
    this.peer = peer;
    const deadline = Date.now() + timeoutMs;
    const message = await this.ask('answer', timeoutMs, 'WebRTC offer', async () => {
      const sdp = await peer.createOffer();
      await this.signaling.send({ type: 'offer', sdp, ...(peer.sctpChunks !== undefined ? { sctpChunks: peer.sctpChunks } : {}) });
    });
    if (message.type !== 'answer') throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'expected an SDP answer');
    await peer.acceptAnswer(message.sdp, message.sctpChunks);
    const raw = await withTimeout(peer.open, Math.max(0, deadline - Date.now()), 'the WebRTC data channel did not open');
    const channel: ClientChannel = new ProtocolChannel(raw, { parse: parseEdgeMessage });
    if (this.welcomeNow) channel.limitOutgoing(this.welcomeNow.limits);
    this.listen(channel);
    channel.on('close', (reason) => {
      if (this.dataChannel !== channel) return;
      this.retire(channel);
      this.dataChannel = undefined;
      if (this.stateNow === 'connected') this.fallback = `data channel closed (${reason}); using the WebSocket`;
    });
    this.dataChannel = channel;
  }

  /** Waits for the signal `reply` to what `send` sends; a send that fails ends the wait with its error. */
  private async ask(reply: ConnectionSignal['type'], timeoutMs: number, what: string, send: () => Promise<void>): Promise<ConnectionSignal> {
    const answer = this.signals.wait(reply, { timeoutMs, what });
    try {
      await send();
    } catch (error) {
      this.signals.reject(reply, error);
      throw error;
    }
    return answer;
  }

  private listen(channel: ClientChannel): void {
    channel.on('message', (message) => this.hooks.message(message));
    channel.on('invalid', (error) => this.hooks.invalid(error));
  }

  private attachSignaling(channel: ClientChannel): void {
    this.signaling = channel;
    this.listen(channel);
    channel.on('close', (reason) => {
      if (this.signaling !== channel || this.closedReason !== undefined || this.leaving.has(channel)) return;
      this.retire(channel);
      void this.handleDisconnect(`signaling closed: ${reason}`);
    });
  }

  /** Keeps byte counters whole across replaced channels. */
  private retire(channel: ClientChannel): void {
    this.retired.bytesSent += channel.bytesSent;
    this.retired.bytesReceived += channel.bytesReceived;
  }

  /**
   * The connection dropped. Work in flight is rejected (typed, retryable: nothing is lost silently), then
   * we redial with backoff and the resume token; when the edge no longer knows the session, the nodes are
   * made again (`hooks.recreate`) under the same ids so handles keep working.
   */
  private async handleDisconnect(reason: string): Promise<void> {
    const options = this.reconnectOptions;
    if (options === undefined) {
      this.shutdown(reason);
      return;
    }
    if (this.stateNow === 'reconnecting') return;
    this.stateNow = 'reconnecting';
    const lost = new RemoteMediaError(ErrorCode.ConnectionClosed, `the connection to the edge dropped (${reason})`, { retryable: true });
    this.hooks.dropped(lost);
    this.signals.rejectAll(lost);
    const dataChannel = this.dataChannel;
    this.dataChannel = undefined;
    if (dataChannel) {
      this.retire(dataChannel);
      dataChannel.close(reason);
    }
    this.peer?.close();
    this.peer = undefined;
    const token = this.welcomeNow?.resumeToken;
    let delay = options.initialDelayMs;
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      this.events.emit('reconnecting', { attempt, delayMs: delay, reason });
      await sleep(delay);
      if (this.closedReason !== undefined) return;
      // Where a draining edge sent us, then the edge we were on, then every other edge given to connect.
      const candidates = [...new Set([this.movedTo, this.edgeNow, ...this.link.edges].filter((edge): edge is string => edge !== undefined))];
      for (const edge of candidates) {
        if (this.closedReason !== undefined) return;
        try {
          this.attachSignaling(await this.link.openSignaling(edge));
          this.edgeNow = edge;
          this.movedTo = undefined;
          const welcome = await this.establish(token);
          // Still 'reconnecting' while nodes are made again, so user frames and calls keep failing fast until every node exists.
          // An edge that rebuilt the session from a store (another edge of a cluster, or after a restart) has its
          // persistent nodes only: the others are made again from their recipes.
          const recreated = await this.hooks.recreate(welcome.resumed ? new Set(welcome.nodes.map((node) => node.nodeId)) : new Set());
          this.stateNow = 'connected';
          this.reconnectCount++;
          this.events.emit('reconnected', { resumed: welcome.resumed, recreated });
          return;
        } catch {
          this.signaling.close('reconnect attempt failed');
        }
      }
      delay = Math.min(options.maxDelayMs, delay * 2);
    }
    this.shutdown(`${reason}; gave up after ${options.maxAttempts} reconnect attempts`);
  }

  /** The close cascade: pending work fails, every channel and the peer close, then `close` is emitted once. */
  private shutdown(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.stateNow = 'closed';
    const error = new RemoteMediaError(ErrorCode.SessionClosed, `the session closed: ${reason}`, { retryable: true });
    this.hooks.closing(error);
    this.signals.rejectAll(error);
    this.dataChannel?.close(reason);
    this.signaling.close(reason);
    this.peer?.close();
    this.events.emit('close', reason);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RemoteMediaError(ErrorCode.Timeout, `${what} within ${ms} ms`, { retryable: true })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
