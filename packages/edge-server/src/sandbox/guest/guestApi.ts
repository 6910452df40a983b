/**
 * What the prelude hands the host, and in what shapes the host and the prelude talk. The prelude script's
 * completion value is a record of these functions (never a global, so user code cannot reach them); the host
 * keeps a handle to each and calls nothing else in the guest. Values travel in the format of valueFormat.ts.
 */

/** The variable the prelude's bundle wrapper declares and returns; prelude.ts assigns the API to it. */
export const GUEST_API_SLOT = '__remotemediaGuestApi';

/** The prelude's functions, by the name the host reads them under. */
export const GUEST_API_NAMES = ['configure', 'pack', 'setup', 'invoke', 'encode', 'snapshot', 'describeError', 'drainConsole'] as const;
export type GuestApiName = (typeof GUEST_API_NAMES)[number];

/** How a method's result is returned: as is, or (process) normalized to the list of outputs it produced. */
export type CallMode = 'call' | 'process';

/** An encoded result inside the guest: the envelope's JSON text and one byte view per binary part. */
export type EncodedResult = [json: string, views: Uint8Array[]];

/**
 * The functions, as the guest defines them. JSON parameters and returns are the host's way to move structured
 * data without sharing objects; `buffers` are host-filled ArrayBuffers in the guest heap (or undefined).
 */
export interface GuestApi {
  /** Sets the limits below, once, before any user code runs. */
  configure(json: string): void;
  /** Copies an encoded result's binary parts into `arena` at the aligned offsets the host computed. */
  pack(result: EncodedResult, arena: ArrayBuffer): void;
  /** Builds the instance (or restores its fields); returns JSON `{ methods, formats }`: its public method names and its class's declared pixel formats. */
  setup(nodeClass: unknown, json: string, buffers: ArrayBuffer[] | undefined, restore: boolean): string;
  /** Runs `instance[method](...args)`; may return a promise the host settles by running jobs. */
  invoke(method: string, json: string, buffers: ArrayBuffer[] | undefined, mode: CallMode): unknown;
  encode(value: unknown): EncodedResult;
  /** The instance's own enumerable fields, encoded. */
  snapshot(): EncodedResult;
  /** JSON of a DescribedError for any thrown value. */
  describeError(error: unknown): string;
  /** JSON of a ConsoleDrain, or '' when there is nothing to report. */
  drainConsole(): string;
}

/** What configure() receives: result bounds (enforced again by the host), method and console caps. */
export interface GuestConfig {
  depth: number;
  values: number;
  bytes: number;
  binaryParts: number;
  methods: number;
  consoleEntries: number;
  consoleBytes: number;
  consoleEntryChars: number;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** Console output buffered since the last drain: entries kept and how many were dropped over the caps. */
export interface ConsoleDrain {
  e: { level: ConsoleLevel; text: string }[];
  d: number;
}

/** A thrown value as describeError reports it, each field clipped to the lengths below. */
export interface DescribedError {
  name: string;
  message: string;
  stack: string;
}

export const DESCRIBED_NAME_MAX_CHARS = 256;
export const DESCRIBED_MESSAGE_MAX_CHARS = 8192;
export const DESCRIBED_STACK_MAX_CHARS = 16384;

/** Appended to a text the guest clipped. */
export const TRUNCATED_SUFFIX = '... (truncated)';
