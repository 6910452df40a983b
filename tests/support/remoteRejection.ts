import { expect } from 'vitest';
import { RemoteError } from '@remotemedia/shared';

/** Asserts a promise rejects with a RemoteError (of `code`, when given) and returns it for further checks. */
export async function remoteRejection(promise: Promise<unknown>, code?: string): Promise<RemoteError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  if (code !== undefined) expect((error as RemoteError).code).toBe(code);
  return error as RemoteError;
}
