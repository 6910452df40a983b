import type { ErrorPayload } from '../errors/RemoteMediaError.ts';
import type { CompressedVideoCodec, VideoEncoding } from '../frames/VideoEncoding.ts';
import type { NodePackage } from './NodePackage.ts';
import type { ProtocolVersion } from './version.ts';

/**
 * The wire protocol: one discriminated union per direction, keyed by `type`, each message stamped with
 * the protocol version `v`. Requests carry a numeric `id` the reply echoes. Encoded with msgpack and
 * chunked (see transport/Chunker.ts) on both the data channel and the WebSocket.
 */
interface Base<T extends string> {
  readonly v: ProtocolVersion;
  readonly type: T;
}

/** Which path protocol messages travel on. */
export type TransportKind = 'datachannel' | 'websocket';

// ---------------------------------------------------------------- client -> edge

/** First message on the WebSocket. `resumeToken` reattaches to a session the edge still holds. */
export interface HelloMessage extends Base<'hello'> {
  readonly sdkVersion: string;
  readonly resumeToken?: string;
  /** Set when another edge of the cluster sent the client here (`redirect`): this edge serves it, never redirects again. */
  readonly redirected?: boolean;
}

/** SDP offer for the data-channel peer connection (non-trickle: all candidates included). */
export interface OfferMessage extends Base<'offer'> {
  readonly sdp: string;
  /** Sent by a client whose peer is a werift with RemoteMedia's SCTP patch (the Node SDK); never by a browser. */
  readonly sctpChunks?: SctpChunks;
}

/**
 * SCTP DATA chunks larger than WebRTC's usual 1,200 bytes, between two werift peers only: frame rate follows
 * packets per frame, and 16 KiB chunks carried the same frames several times faster. Browsers never get them
 * (Chromium aborts the association on chunks over ~4,000 bytes). In an `offer`: the client sends and accepts
 * chunks up to `maxBytes`. In the `answer`: both ends send chunks of `maxBytes` (at most the offer's) once the
 * channel opens, if the ICE path joins two addresses of one machine (across a network, 16 KiB datagrams become
 * IP fragments that some paths drop); an answer without it, or an edge that does not know this `version`,
 * keeps 1,200 bytes.
 */
export interface SctpChunks {
  readonly version: typeof SCTP_CHUNKS_VERSION;
  readonly maxBytes: number;
}

export const SCTP_CHUNKS_VERSION = 1;

/**
 * Largest DATA chunk user data: a DTLS record carries at most 16,384 bytes of plaintext (RFC 6347), less the
 * SCTP common header (12) and the DATA chunk header (16). Measured best of 4 KiB, 8 KiB and this size between
 * two werift peers on loopback.
 */
export const MAX_SCTP_CHUNK_BYTES = 16_384 - 12 - 16;

/** What WebRTC stacks send (werift's default): the floor of `SctpChunks.maxBytes`. */
export const DEFAULT_SCTP_CHUNK_BYTES = 1_200;

/**
 * An object's own fields as superjson writes them (`json` plus `meta` describing Map, Set, Date, BigInt,
 * typed arrays...), so rich state crosses msgpack as plain data and is rebuilt on the other side.
 */
export interface SerializedState {
  readonly json: unknown;
  readonly meta?: unknown;
}

/**
 * Deploy a user node: a package (omitted when the edge already caches `packageId`) and either constructor
 * args or `state` (the fields of an instance built on the client, restored without running the constructor).
 */
export interface DeployMessage extends Base<'deploy'> {
  readonly id: number;
  readonly nodeId: string;
  readonly packageId: string;
  readonly pkg?: NodePackage;
  readonly ctorArgs?: readonly unknown[];
  readonly state?: SerializedState;
  /** Keep this node's state in the edge's data directory so it survives an edge restart. */
  readonly persist?: boolean;
  /**
   * This node's frame deadline in ms, 0 to MAX_FRAME_DEADLINE_MS (0: never skip a frame for its age); absent:
   * the edge's `frameDeadlineMs`.
   */
  readonly deadlineMs?: number;
}

/** Read a deployed instance's own fields (reply value: SerializedState). */
export interface SnapshotMessage extends Base<'snapshot'> {
  readonly id: number;
  readonly nodeId: string;
}

/** Write a persistent node's state to disk now; the reply comes after it is durably saved. */
export interface SaveMessage extends Base<'save'> {
  readonly id: number;
  readonly nodeId: string;
}

/** Create a built-in catalogue node on the edge by name; the edge validates `config` against its schema. */
export interface CreateMessage extends Base<'create'> {
  readonly id: number;
  readonly nodeId: string;
  readonly name: string;
  readonly config: unknown;
  /** As in `deploy`: this node's frame deadline in ms. */
  readonly deadlineMs?: number;
}

/** End of a stream: the node emits what it still holds (the reply's value is the list of items). */
export interface FlushMessage extends Base<'flush'> {
  readonly id: number;
  readonly nodeId: string;
}

/** Ask for the catalogue's descriptors (reply value: NodeDescriptor[]). */
export interface ListNodesMessage extends Base<'list-nodes'> {
  readonly id: number;
}

/**
 * Process one item (a frame or data) through a deployed node. `seq` is per node and increasing. The item may be
 * an `EncodedVideoFrameData`: the edge decodes it to raw pixels before the node sees it. `outputEncoding` asks
 * for the node's video outputs in that encoding (absent: raw, as the node produced them).
 */
export interface FrameMessage extends Base<'frame'> {
  readonly nodeId: string;
  readonly seq: number;
  readonly item: unknown;
  /**
   * When the item was captured, in ms since the Unix epoch on the edge's clock as the client estimates it (its
   * own clock plus the offset it measured from `welcome`/`pong`). The edge skips a frame older than its
   * deadline; absent: never skipped for age.
   */
  readonly capturedAt?: number;
  readonly outputEncoding?: VideoEncoding;
}

/** Call a method on a deployed node instance. */
export interface CallMessage extends Base<'call'> {
  readonly id: number;
  readonly nodeId: string;
  readonly method: string;
  readonly args: readonly unknown[];
}

export interface DisposeMessage extends Base<'dispose'> {
  readonly id: number;
  readonly nodeId: string;
}

/** The client is done: the edge closes the session now instead of keeping it for a resume. */
export interface ByeMessage extends Base<'bye'> {}

export interface PingMessage extends Base<'ping'> {
  readonly id: number;
  /** Sender's clock in ms, echoed back. */
  readonly t: number;
}

export type ClientMessage =
  | HelloMessage
  | OfferMessage
  | DeployMessage
  | CreateMessage
  | FlushMessage
  | ListNodesMessage
  | SnapshotMessage
  | SaveMessage
  | FrameMessage
  | CallMessage
  | DisposeMessage
  | ByeMessage
  | PingMessage;

// ---------------------------------------------------------------- edge -> client

/** A STUN or TURN server, as `RTCIceServer` has it: the edge hands its configured list to clients. */
export interface IceServer {
  /** `stun:`, `stuns:`, `turn:` or `turns:` URLs. */
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

export interface WelcomeMessage extends Base<'welcome'> {
  readonly sessionId: string;
  readonly serverVersion: string;
  /** Present this on reconnect to resume the session. Secret: never log it. */
  readonly resumeToken: string;
  /** True when `hello.resumeToken` matched a session the edge still had (in memory or persisted). */
  readonly resumed: boolean;
  /** Nodes the resumed session still holds, so the client can rebind its handles. */
  readonly nodes: ReadonlyArray<{ readonly nodeId: string; readonly nodeName: string; readonly methods: readonly string[] }>;
  readonly limits: {
    readonly maxChunkBytes: number;
    readonly maxMessageBytes: number;
    readonly maxFrameBytes: number;
  };
  /** STUN/TURN servers the client's peer connection should use (the edge's `iceServers` setting). Absent from older edges. */
  readonly iceServers?: readonly IceServer[];
  /** The edge's clock (ms since the Unix epoch) when it sent this: the client's first clock-offset sample. */
  readonly edgeTime?: number;
  /** Frame deadline a node gets unless its deploy/create says otherwise (the edge's `frameDeadlineMs`; 0: none). */
  readonly frameDeadlineMs?: number;
  /** Compressed video codecs this edge decodes and encodes (`encoded-video` items). Absent from older edges: send raw. */
  readonly videoCodecs?: readonly CompressedVideoCodec[];
}

export interface AnswerMessage extends Base<'answer'> {
  readonly sdp: string;
  /** Present when the edge's peer sends large SCTP chunks to this client, which should then do the same. */
  readonly sctpChunks?: SctpChunks;
}

/** Successful reply to a request (`deploy`, `create`, `call`, `flush`, `list-nodes`, `snapshot`, `save`, `dispose`). */
export interface ReplyMessage extends Base<'reply'> {
  readonly id: number;
  readonly value: unknown;
}

/**
 * Where a frame's time went on the edge, in ms: waiting in the node's queue, and running the node (the hop to its
 * worker, format conversion and the node's own work). `decodeMs`/`encodeMs` are set when the frame was decoded
 * before the node or its output encoded after it.
 */
export interface EdgeTiming {
  readonly queueMs: number;
  readonly nodeMs: number;
  readonly decodeMs?: number;
  readonly encodeMs?: number;
}

/** What a node produced for one input: zero (filtered), one or many items (video ones in the frame's `outputEncoding`). */
export interface OutputMessage extends Base<'output'> {
  readonly nodeId: string;
  readonly seq: number;
  readonly items: readonly unknown[];
  /** The edge's time spent on this frame. */
  readonly timing?: EdgeTiming;
}

/** A failed request (`id`), frame (`nodeId` + `seq`) or session-level problem (neither). */
export interface ErrorMessage extends Base<'error'> {
  readonly id?: number;
  readonly nodeId?: string;
  readonly seq?: number;
  readonly error: ErrorPayload;
}

/**
 * Why the edge did not process a frame: `deadline` (older than its deadline on arrival or when its turn came),
 * `queue-full` (newer frames replaced it), `node-gone` (disposed), `session-closed` (the session or edge ended).
 */
export type DropCause = 'deadline' | 'queue-full' | 'node-gone' | 'session-closed';

export const DROP_CAUSES: readonly DropCause[] = ['deadline', 'queue-full', 'node-gone', 'session-closed'];

/** Longest frame deadline a client may ask for, ms. */
export const MAX_FRAME_DEADLINE_MS = 600_000;

/** A frame the edge did not process, so the client can account for every frame. */
export interface DroppedMessage extends Base<'dropped'> {
  readonly nodeId: string;
  readonly seq: number;
  /** Machine-readable: why. Absent from edges before it existed, which dropped only for a full queue or a gone node. */
  readonly cause?: DropCause;
  /** Human-readable: why, with figures (how old, which deadline). */
  readonly reason: string;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** Console output of a sandboxed node, forwarded with the node's name. */
export interface ConsoleMessage extends Base<'console'> {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly level: ConsoleLevel;
  readonly text: string;
}

/**
 * A node the edge had to re-create because its worker was lost to another cause than this node (e.g. a
 * co-tenant's runaway code got the shared worker terminated). An event, not an error: the node is usable.
 * `state` says what it came back with: 'snapshot' (its last persisted snapshot), or 'fresh' (re-created from
 * its package or config; in-memory state since the last snapshot is gone).
 */
export interface NodeRestoredMessage extends Base<'node-restored'> {
  readonly nodeId: string;
  readonly nodeName: string;
  readonly state: 'snapshot' | 'fresh';
  readonly reason: string;
}

export interface PongMessage extends Base<'pong'> {
  readonly id: number;
  /** The ping's `t`, echoed. */
  readonly t: number;
  /** The edge's clock (ms since the Unix epoch) when it answered: with `t` and the arrival time, a clock-offset sample. */
  readonly edgeTime?: number;
}

/**
 * Cluster mode: go to another edge of the cluster. In answer to a `hello` (a less loaded edge should serve a
 * new session; `reason: 'least-loaded'`), or as an event before the edge closes a session it moved away
 * (`reason: 'draining'`: its state is in the cluster store, the resume token restores it at `url`).
 */
export interface RedirectMessage extends Base<'redirect'> {
  /** The edge's URL as it registered it (http or https), where the client connects next. */
  readonly url: string;
  readonly reason: 'least-loaded' | 'draining';
}

export type EdgeMessage =
  | WelcomeMessage
  | AnswerMessage
  | ReplyMessage
  | OutputMessage
  | ErrorMessage
  | DroppedMessage
  | ConsoleMessage
  | NodeRestoredMessage
  | PongMessage
  | RedirectMessage;

export type ClientMessageType = ClientMessage['type'];
export type EdgeMessageType = EdgeMessage['type'];

/** Omit `v`: the sending side stamps the version. */
export type Unversioned<M> = M extends unknown ? Omit<M, 'v'> : never;
