// Run: node --import tsx examples/guide/limits.ts
import { RemoteError, runNode } from '@remotemedia/browser-sdk/node';
import { Unbounded } from './Unbounded.ts';

for (const how of ['loop', 'memory', 'recursion', 'throw'] as const) {
  try {
    await runNode(Unbounded, [how], { limits: { callTimeoutMs: 200 } });
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    console.log(`${how}: ${error.code}`);
  }
}
// loop: SANDBOX_TIMEOUT
// memory: SANDBOX_OUT_OF_MEMORY
// recursion: SANDBOX_STACK_OVERFLOW
// throw: USER_ERROR
