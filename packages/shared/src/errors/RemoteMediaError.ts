import { ErrorCode } from './ErrorCode.ts';

export interface RemoteMediaErrorOptions {
  cause?: unknown;
  /** True when trying the same thing again later may succeed (a dropped connection, a rate limit). */
  retryable?: boolean;
}

/** Base of every error the SDK and the edge raise on purpose. `code` is stable across versions and the wire. */
export class RemoteMediaError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: RemoteMediaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RemoteMediaError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Wire shape of an error: what `toErrorPayload` writes and `RemoteError.fromPayload` reads. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** The remote error's class name (`TypeError`, `DivisionByZeroError`, ...). */
  name?: string;
  /** Stack as seen where it was thrown (sandbox module paths and lines for user code). */
  stack?: string;
  /** Name of the node (catalogue name or user class) that failed. */
  nodeName?: string;
  /** Method that was running (`process`, `add`, ...). */
  method?: string;
  retryable?: boolean;
}

/**
 * An error raised on the other side of the connection. Carries the remote name, stack, node and method,
 * so a person sees where in *their* code it failed, not where the SDK rethrew it.
 */
export class RemoteError extends RemoteMediaError {
  readonly remoteName: string;
  /** The message as thrown remotely, without the node/method suffix added here. */
  readonly remoteMessage: string;
  readonly remoteStack: string | undefined;
  readonly nodeName: string | undefined;
  readonly method: string | undefined;

  constructor(payload: ErrorPayload) {
    const where = payload.nodeName ? ` (in ${payload.nodeName}${payload.method ? `.${payload.method}` : ''})` : '';
    super(payload.code, `${payload.message}${where}`, { retryable: payload.retryable ?? false });
    this.name = 'RemoteError';
    this.remoteName = payload.name ?? 'Error';
    this.remoteMessage = payload.message;
    this.remoteStack = payload.stack;
    this.nodeName = payload.nodeName;
    this.method = payload.method;
  }

  static fromPayload(payload: ErrorPayload): RemoteError {
    return new RemoteError(payload);
  }
}

/** Turns anything thrown into a wire payload; unknown errors become INTERNAL without leaking host details. */
export function toErrorPayload(error: unknown, context: { nodeName?: string; method?: string } = {}): ErrorPayload {
  if (error instanceof RemoteError) {
    return {
      code: error.code,
      message: error.remoteMessage,
      name: error.remoteName,
      stack: error.remoteStack,
      nodeName: error.nodeName ?? context.nodeName,
      method: error.method ?? context.method,
      retryable: error.retryable,
    };
  }
  if (error instanceof RemoteMediaError) {
    return {
      code: error.code,
      message: error.message,
      name: error.name,
      nodeName: context.nodeName,
      method: context.method,
      retryable: error.retryable,
    };
  }
  return {
    code: ErrorCode.Internal,
    message: error instanceof Error ? error.message : String(error),
    name: error instanceof Error ? error.name : 'Error',
    nodeName: context.nodeName,
    method: context.method,
  };
}
