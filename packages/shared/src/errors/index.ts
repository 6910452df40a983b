// @remotemedia/shared/errors: the typed error every package throws, and its stable codes.
export { ErrorCode, SANDBOX_FATAL_CODES, isErrorCode } from './ErrorCode.ts';
export { RemoteError, RemoteMediaError, toErrorPayload, type ErrorPayload, type RemoteMediaErrorOptions } from './RemoteMediaError.ts';
