import { readSync } from 'node:fs';
import { connect } from '@remotemedia/browser-sdk/node';
import { packBlob } from './blobNode.ts';

/**
 * Child-process client (`node --import tsx stalledDataChannelClient.ts <url> <calls> <bytes>`): over a data
 * channel it asks for many large replies, then stops reading by blocking its event loop (as a frozen tab
 * does) on a read of stdin, until the test writes a byte there because the edge has given up on it. Then it
 * prints, as one JSON line, the error codes its session reported and the transport it is left on.
 * A process of its own: a worker thread holding werift's UDP sockets aborts Node when terminated.
 */
const [url, calls, bytes] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
// Generous set-up limits: on a loaded machine (the suite beside it) the data channel took longer than the 5 s
// default to open, the connect failed and the edge never saw a reader to stall.
const session = await connect(url, {
  transport: 'datachannel',
  reconnect: false,
  requestTimeoutMs: 60_000,
  connectTimeoutMs: 30_000,
  dataChannelTimeoutMs: 30_000,
});
const errors: string[] = [];
session.on('error', (error) => errors.push(error.code));
const node = await session.deploy(await packBlob());
// The node is held busy first, so every call below reaches the edge before its first reply exists: the edge
// admits a request only while less than half its send-queue cap is unread, and replies made while later calls
// were still on their way held those back (the queue then stayed under the cap: no cut-off, 1 run in 4).
node.call('hold', 600).catch(() => undefined);
for (let i = 0; i < calls; i++) node.call('blob', bytes).catch(() => undefined);
// Let the calls leave, say so, then read nothing until woken.
await new Promise((resolve) => setTimeout(resolve, 200));
process.stdout.write('stalled\n');
readSync(0, Buffer.alloc(1));
const deadline = Date.now() + 10_000;
// The error comes over the WebSocket, the data channel's close after the backlog it was stuck behind.
while ((!errors.includes('SLOW_CONSUMER') || session.transport !== 'websocket') && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write(`${JSON.stringify({ errors, transport: session.transport })}\n`);
session.close();
process.exit(0);
