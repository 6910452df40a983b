import type { ConsoleLevel, NodePackage } from '@remotemedia/shared';

/** One console call of a node: its level and the text it formatted. */
export interface ConsoleLine {
  level: ConsoleLevel;
  text: string;
}

/**
 * Limits of the sandbox `runNode` runs a node in, as the edge's settings set them (`sandboxMemoryMb`,
 * `sandboxStackKb`, `sandboxCallTimeoutMs`, `maxMessageBytes`, `maxFrameBytes`); unset ones take the edge's defaults.
 */
export interface RunNodeLimits {
  memoryBytes: number;
  stackBytes: number;
  callTimeoutMs: number;
  maxResultBytes: number;
  maxFrameBytes: number;
}

/**
 * One node instance `runNode` drives, wherever it runs. `process` and `flush` resolve with every output (0, 1 or
 * many) and reject with a RemoteError the way a session's calls do.
 */
export interface NodeDriver {
  readonly nodeName: string;
  /** Public methods of the class (`initialize`, `cleanup` and `flush` among them when it has them). */
  readonly methods: readonly string[];
  process(input: unknown): Promise<unknown[]>;
  flush(): Promise<unknown[]>;
  call(method: string): Promise<unknown>;
  /** Frees the instance (and whatever runs it). Idempotent. */
  close(): Promise<void>;
}

/** What the edge's testing entry is asked for: the packed class, made as a deploy makes it. */
export interface SandboxNodeRequest {
  pkg: NodePackage;
  ctorArgs: unknown[];
  limits: Partial<RunNodeLimits> | undefined;
  onConsole: (line: ConsoleLine) => void;
}

/** The shape of `@remotemedia/edge-server/testing`, which `runNode` loads only when asked for the sandbox. */
export interface SandboxTesting {
  openSandboxNode(request: SandboxNodeRequest): Promise<NodeDriver>;
}
