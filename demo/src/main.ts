import {
  connect,
  openCamera,
  openMicrophone,
  packSources,
  type CameraCapture,
  type MicrophoneCapture,
  type RemoteNode,
  type RemoteSession,
} from '@remotemedia/browser-sdk';
import { DemoProbe } from './DemoProbe.ts';
import { AudioLane } from './media/AudioLane.ts';
import { levelsDb } from './media/rmsDb.ts';
import { VideoLane } from './media/VideoLane.ts';
import { TEMPLATES } from './nodes/templates.ts';
import { CataloguePicker } from './ui/CataloguePicker.ts';
import { CodeEditor } from './ui/CodeEditor.ts';
import { fillDeviceSelect } from './ui/devicePicker.ts';
import { byId, h } from './ui/dom.ts';
import { ErrorLog } from './ui/ErrorLog.ts';
import { LevelMeterView } from './ui/LevelMeterView.ts';
import { RttChart } from './ui/RttChart.ts';

const WIDTH = 320;
const HEIGHT = 240;
/** 20 ms audio frames: half the messages of WebCodecs' 10 ms, on a channel that also carries video. */
const AUDIO_FRAME_MS = 20;
/** Error lines the probe keeps: a node failing on every frame must not grow the page's memory forever. */
const PROBE_ERROR_LIMIT = 200;

// The page is served by the edge, so the edge is this origin unless ?edge= says otherwise (the Vite dev server).
const edgeUrl = new URLSearchParams(location.search).get('edge') ?? location.origin;
const probe = new DemoProbe();
(window as unknown as { remotemediaDemo: DemoProbe }).remotemediaDemo = probe;

const startButton = byId<HTMLButtonElement>('start');
const stopButton = byId<HTMLButtonElement>('stop');
const deployButton = byId<HTMLButtonElement>('deploy');
const applyButton = byId<HTMLButtonElement>('apply-catalogue');
const status = byId<HTMLSpanElement>('status');
const cameraSelect = byId<HTMLSelectElement>('camera-select');
const micSelect = byId<HTMLSelectElement>('mic-select');
const formatSelect = byId<HTMLSelectElement>('format-select');
// ?format=rgba|i420 presets the frame format (tests pin RGBA where they compare exact RGB values).
const presetFormat = new URLSearchParams(location.search).get('format');
if (presetFormat === 'rgba' || presetFormat === 'i420') formatSelect.value = presetFormat;
const listen = byId<HTMLInputElement>('listen');

const errorLog = new ErrorLog();
const meterIn = new LevelMeterView(byId('meter-in'));
const meterOut = new LevelMeterView(byId('meter-out'));
const chart = new RttChart(byId<HTMLCanvasElement>('rtt-chart'));
const catalogue = new CataloguePicker();
const editor = new CodeEditor((message) => showError(new Error(message)));

function showError(error: unknown): void {
  const shown = errorLog.add(error);
  if (probe.errors.length < PROBE_ERROR_LIMIT) probe.recordError(shown);
}

function setStatus(text: string, tone: 'idle' | 'busy' | 'ok' | 'warn' = 'idle'): void {
  status.textContent = text;
  status.dataset.tone = tone;
}

const videoLane = new VideoLane({
  output: byId<HTMLCanvasElement>('output'),
  onFrame: (input, output, roundTripMs) => {
    probe.record(input, output);
    chart.add(roundTripMs);
  },
  onError: showError,
});

const audioLane = new AudioLane({
  onInput: (_frame, levels) => {
    meterIn.update(levels.rmsDb, levels.peakDb);
    probe.recordAudioInput(levels.rmsDb);
  },
  onOutput: (input, output, levels) => {
    meterOut.update(levels.rmsDb, levels.peakDb);
    probe.recordAudioOutput(input, levelsDb(input.samples).sumSquares, output, levels.sumSquares, levels.rmsDb);
  },
  onError: showError,
});

let session: RemoteSession | undefined;
let camera: CameraCapture | undefined;
let mic: MicrophoneCapture | undefined;
let statsTimer: ReturnType<typeof setInterval> | undefined;

/** Puts a node on the lane it processes; the lane disposes the node it replaces. */
async function useNode(node: RemoteNode, kind: 'video' | 'audio'): Promise<void> {
  if (kind === 'video') {
    probe.resetVideo(node.name);
    chart.clear();
    byId('video-node-name').textContent = node.name;
    await videoLane.setNode(node);
  } else {
    probe.resetAudio(node.name);
    meterOut.reset();
    byId('audio-node-name').textContent = node.name;
    await audioLane.setNode(node);
  }
}

async function deployFromEditor(): Promise<void> {
  if (session === undefined) return;
  const content = editor.content();
  const pkg = await packSources({ sources: content.sources, entry: content.entry, exportName: content.exportName });
  await useNode(await session.deploy(pkg), content.kind);
}

async function applyFromCatalogue(): Promise<void> {
  const selection = catalogue.selection();
  if (session === undefined || selection === undefined) return;
  await useNode(await session.node(selection.descriptor.name, selection.config), selection.kind);
}

/** Runs a button's action with the button disabled, showing any failure in the errors panel. */
function action(button: HTMLButtonElement, run: () => Promise<void>): void {
  button.addEventListener('click', () => {
    button.disabled = true;
    run()
      .catch(showError)
      .finally(() => {
        button.disabled = session === undefined;
      });
  });
}

/** I420 by default: over werift's data channel, bytes per frame decide the frame rate (RGBA is 2.7x larger). */
function cameraOptions(): Parameters<typeof openCamera>[0] {
  const format = formatSelect.value === 'rgba' ? 'rgba' : 'i420';
  return { width: WIDTH, height: HEIGHT, format, ...(cameraSelect.value ? { deviceId: cameraSelect.value } : {}) };
}

async function openDevices(): Promise<void> {
  camera?.stop();
  camera = await openCamera(cameraOptions());
  byId<HTMLVideoElement>('input').srcObject = camera.stream;
  mic?.stop();
  // A page without a microphone still processes video: the failure is shown, not fatal.
  mic = await openMicrophone({ frameMs: AUDIO_FRAME_MS, ...(micSelect.value ? { deviceId: micSelect.value } : {}) }).catch((error: unknown) => {
    showError(error);
    return undefined;
  });
}

async function start(): Promise<void> {
  setStatus('Opening camera and microphone…', 'busy');
  await openDevices();
  await Promise.all([fillDeviceSelect(cameraSelect, 'videoinput'), fillDeviceSelect(micSelect, 'audioinput')]);
  setStatus(`Connecting to ${edgeUrl}…`, 'busy');
  const opened = await connect(edgeUrl);
  session = opened;
  opened.on('error', showError);
  opened.on('reconnecting', ({ attempt, reason }) => setStatus(`Connection lost (${reason}); reconnecting, attempt ${attempt}…`, 'warn'));
  opened.on('reconnected', ({ resumed, recreated }) =>
    setStatus(resumed ? 'Reconnected; the edge kept the session' : `Reconnected; ${recreated} node(s) created again on the edge`, 'ok'));
  opened.on('close', (reason) => setStatus(`Disconnected: ${reason}`, 'warn'));
  const descriptors = await opened.listNodes();
  probe.catalogue = descriptors.map((d) => d.name);
  catalogue.load(descriptors);
  videoLane.setCamera(camera);
  audioLane.setMicrophone(mic);
  await deployFromEditor();
  probe.transport = opened.stats().transport;
  setStatus(`Running on the edge over the ${probe.transport === 'datachannel' ? 'WebRTC data channel' : 'WebSocket'}`, 'ok');
  stopButton.disabled = false;
  deployButton.disabled = false;
  applyButton.disabled = false;
  statsTimer = setInterval(showStats, 250);
  probe.running = true;
}

function showStats(): void {
  if (session === undefined) return;
  const stats = session.stats();
  probe.stats = stats;
  probe.transport = stats.transport;
  const video = videoLane.totals();
  const audio = audioLane.totals();
  byId('stat-transport').textContent =
    stats.transport === 'datachannel' ? 'WebRTC data channel' : `WebSocket${stats.fallbackReason ? ` (${stats.fallbackReason})` : ''}`;
  byId('stat-state').textContent = `${stats.state}${stats.reconnects > 0 ? `, ${stats.reconnects} reconnect${stats.reconnects === 1 ? '' : 's'}` : ''}`;
  byId('stat-fps-in').textContent = videoLane.fpsIn.rate().toFixed(1);
  byId('stat-fps').textContent = videoLane.fpsOut.rate().toFixed(1);
  byId('stat-rtt').textContent = Number.isNaN(stats.rttP50Ms) || stats.rttSamples === 0 ? '-' : `${stats.rttP50Ms.toFixed(1)} ms / ${stats.rttP99Ms.toFixed(1)} ms`;
  byId('stat-frames').textContent = String(video.received);
  // Skipped here: video frames not sent while the edge was busy. The edge's drops and the frames lost in a
  // reconnect are session-wide (audio and video).
  byId('stat-dropped').textContent = `${video.droppedLocally} video skipped · ${stats.framesDroppedByEdge} by edge · ${stats.framesLost} lost`;
  byId('stat-audio').textContent = `${audio.droppedLocally + audio.droppedByEdge + audio.lost + audio.failed} / ${audio.underruns}`;
  chart.draw(stats.rttP50Ms, stats.rttP99Ms);
}

function stop(): void {
  clearInterval(statsTimer);
  videoLane.stop();
  audioLane.stop();
  camera?.stop();
  mic?.stop();
  camera = undefined;
  mic = undefined;
  session?.close();
  session = undefined;
  probe.running = false;
  listen.checked = false;
  setStatus('Stopped');
  startButton.disabled = false;
  stopButton.disabled = true;
  deployButton.disabled = true;
  applyButton.disabled = true;
}

// Tabs between the catalogue and the editor.
for (const tab of document.querySelectorAll<HTMLButtonElement>('.panel-tabs .tab')) {
  tab.addEventListener('click', () => {
    for (const other of document.querySelectorAll<HTMLButtonElement>('.panel-tabs .tab')) {
      other.classList.toggle('active', other === tab);
      byId(other.dataset.panel!).hidden = other !== tab;
    }
  });
}

const templateSelect = byId<HTMLSelectElement>('editor-template');
templateSelect.replaceChildren(...TEMPLATES.map((t, i) => h('option', { value: String(i), textContent: t.label })));
templateSelect.addEventListener('change', () => editor.load(TEMPLATES[Number(templateSelect.value)]!));
editor.load(TEMPLATES[0]!);

startButton.addEventListener('click', () => {
  startButton.disabled = true;
  start().catch((error: unknown) => {
    showError(error);
    setStatus('Failed to start', 'warn');
    stop();
    setStatus('Failed to start', 'warn');
  });
});
stopButton.addEventListener('click', stop);
action(deployButton, deployFromEditor);
action(applyButton, applyFromCatalogue);
listen.addEventListener('change', () => {
  audioLane.listen(listen.checked).catch(showError);
});
function reopenCamera(): void {
  if (session === undefined) return;
  camera?.stop();
  openCamera(cameraOptions())
    .then((opened) => {
      camera = opened;
      byId<HTMLVideoElement>('input').srcObject = opened.stream;
      videoLane.setCamera(opened);
    })
    .catch(showError);
}
cameraSelect.addEventListener('change', reopenCamera);
formatSelect.addEventListener('change', reopenCamera);
micSelect.addEventListener('change', () => {
  if (session === undefined) return;
  mic?.stop();
  openMicrophone({ frameMs: AUDIO_FRAME_MS, ...(micSelect.value ? { deviceId: micSelect.value } : {}) })
    .then((opened) => {
      mic = opened;
      audioLane.setMicrophone(opened);
    })
    .catch(showError);
});
