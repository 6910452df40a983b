import {
  LiveVideoPump,
  cameraFrames,
  connect,
  drawVideoFrame,
  packSources,
  type RemoteSession,
  type VideoFrameData,
} from '@remotemedia/browser-sdk';
import grayscaleSource from './nodes/GrayscaleNode.js?raw';
import { DemoProbe } from './DemoProbe.ts';

const WIDTH = 320;
const HEIGHT = 240;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const startButton = $<HTMLButtonElement>('start');
const stopButton = $<HTMLButtonElement>('stop');
const status = $<HTMLSpanElement>('status');
const output = $<HTMLCanvasElement>('output');
const errors = $<HTMLPreElement>('errors');

// The page is served by the edge, so the edge is this origin unless ?edge= says otherwise.
const edgeUrl = new URLSearchParams(location.search).get('edge') ?? location.origin;
const probe = new DemoProbe();
(window as unknown as { remotemediaDemo: DemoProbe }).remotemediaDemo = probe;

let session: RemoteSession | undefined;
let pump: LiveVideoPump | undefined;
let stream: MediaStream | undefined;

function showError(error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}${'remoteStack' in error && error.remoteStack ? `\n${String(error.remoteStack)}` : ''}` : String(error);
  errors.hidden = false;
  errors.textContent = text;
  probe.errors.push(text);
}

async function start(): Promise<void> {
  startButton.disabled = true;
  status.textContent = 'Opening camera…';
  stream = await navigator.mediaDevices.getUserMedia({ video: { width: WIDTH, height: HEIGHT }, audio: false });
  $<HTMLVideoElement>('input').srcObject = stream;
  status.textContent = `Connecting to ${edgeUrl}…`;
  session = await connect(edgeUrl);
  const pkg = await packSources({ sources: { 'GrayscaleNode.js': grayscaleSource }, entry: 'GrayscaleNode.js', exportName: 'GrayscaleNode' });
  const node = await session.deploy(pkg);
  probe.transport = session.stats().transport;
  status.textContent = `Running on the edge over the ${probe.transport === 'datachannel' ? 'WebRTC data channel' : 'WebSocket'}`;
  stopButton.disabled = false;
  const activePump = new LiveVideoPump(node, {
    onOutput: (items, input) => {
      const frame = items[0] as VideoFrameData | undefined;
      if (frame === undefined) return;
      drawVideoFrame(output, frame);
      probe.record(input, frame);
    },
    onError: showError,
  });
  pump = activePump;
  const track = stream.getVideoTracks()[0]!;
  const statsTimer = setInterval(() => {
    if (session === undefined) return;
    const stats = session.stats();
    probe.transport = stats.transport;
    $('stat-transport').textContent = stats.transport === 'datachannel' ? 'WebRTC data channel' : `WebSocket${stats.fallbackReason ? ` (${stats.fallbackReason})` : ''}`;
    $('stat-fps').textContent = probe.fps().toFixed(1);
    $('stat-rtt').textContent = Number.isNaN(stats.rttP50Ms) ? '-' : `${stats.rttP50Ms.toFixed(1)} ms / ${stats.rttP99Ms.toFixed(1)} ms`;
    $('stat-frames').textContent = String(activePump.stats.received);
    $('stat-dropped').textContent = String(activePump.stats.droppedLocally + stats.framesDroppedByEdge);
  }, 250);
  try {
    await activePump.run(cameraFrames(track, { width: WIDTH, height: HEIGHT }));
  } finally {
    clearInterval(statsTimer);
  }
}

function stop(): void {
  pump?.stop();
  stream?.getTracks().forEach((track) => track.stop());
  session?.close();
  session = undefined;
  status.textContent = 'Stopped';
  startButton.disabled = false;
  stopButton.disabled = true;
}

startButton.addEventListener('click', () => {
  start().catch((error: unknown) => {
    showError(error);
    status.textContent = 'Failed';
    startButton.disabled = false;
  });
});
stopButton.addEventListener('click', stop);
