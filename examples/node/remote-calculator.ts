// Run: EDGE_URL=http://127.0.0.1:8080 node --import tsx examples/node/remote-calculator.ts
// Offloads a class to the edge: its module is packed, run in a QuickJS sandbox, and keeps its state.
import { connect, RemoteError } from '@remotemedia/browser-sdk/node';
import { SimpleCalculator } from './SimpleCalculator.ts';

const session = await connect(process.env.EDGE_URL ?? 'http://127.0.0.1:8080');
try {
  const calc = await session.remote(SimpleCalculator); // typed from the class: calc.add(a: number, b: number)
  console.log('2 + 3 =', await calc.add(2, 3));
  console.log('10 / 4 =', await calc.divide(10, 4));
  try {
    await calc.divide(1, 0);
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    console.log(`remote error: ${error.code} ${error.remoteName}: ${error.remoteMessage}`);
  }
  const state = await calc.$snapshot();
  console.log('history on the edge:', state.history?.join(', '));
  console.log(`transport: ${session.stats().transport}`);
} finally {
  session.close();
}
