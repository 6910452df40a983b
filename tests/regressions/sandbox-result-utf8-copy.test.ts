import { describe, expect, it } from 'vitest';
import { ErrorCode, RemoteError } from '@remotemedia/shared/errors';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { usePool } from '../support/sandboxPool.ts';

/**
 * The host reads a guest string through a UTF-8 copy made inside the guest's own heap. For a large non-ASCII
 * result that copy (3 bytes per character) can fail where the result itself fit, and it came back as an empty
 * string: the host then reported the sandbox as having sent malformed JSON. Running out of the sandbox's memory
 * while the result is copied out is the memory limit, and is reported as such.
 */
const EUROS = `export default class Euros { make(n) { return '\\u20ac'.repeat(n); } }`;

describe('a result whose copy does not fit the sandbox', () => {
  const pool = usePool({ workers: 1, limits: { callTimeoutMs: 5000 } });

  it('is either delivered whole or SANDBOX_OUT_OF_MEMORY, never a malformed result', async () => {
    // Around 3 million characters the string and its JSON fit a 32 MiB sandbox but the UTF-8 copy does not; the
    // exact point depends on the heap's layout, so sweep across it.
    const outcomes: string[] = [];
    for (let n = 2_800_000; n <= 3_600_000; n += 200_000) {
      const sandbox = await pool().create({ pkg: singleModule(EUROS), nodeName: 'Euros' });
      const outcome = await sandbox.call('make', [n]).then(
        (value) => ((value as string).length === n ? 'whole' : 'truncated'),
        (error: unknown) => (error instanceof RemoteError ? error.code : String(error)),
      );
      outcomes.push(outcome);
      await sandbox.dispose();
    }
    expect(
      outcomes.every((o) => o === 'whole' || o === ErrorCode.SandboxOutOfMemory),
      outcomes.join(', '),
    ).toBe(true);
    expect(outcomes).toContain(ErrorCode.SandboxOutOfMemory);
  });
});
