// Over ~350 lines on purpose: this is the page's wiring (each control to its handler, in page order); the
// parts with logic of their own live in media/, ui/, nodes/ and snippet/.
import {
  connect,
  jpegEncoding,
  openCamera,
  openMicrophone,
  packSources,
  type CameraCapture,
  type MicrophoneCapture,
  type PixelFormat,
  type RemoteNode,
  type RemoteSession,
  type VideoEncoding,
} from '@remotemedia/browser-sdk';
import { DemoProbe } from './DemoProbe.ts';
import { AudioAnalysis, frameDurationMs } from './media/AudioAnalysis.ts';
import { AudioLane } from './media/AudioLane.ts';
import { BranchLane } from './media/BranchLane.ts';
import { levelsDb } from './media/rmsDb.ts';
import { VideoLane } from './media/VideoLane.ts';
import { BRANCHES } from './nodes/branchGraph.ts';
import { DEAD_NODE_CODES } from './nodes/deadNodeCodes.ts';
import type { NodeOrigin } from './nodes/NodeOrigin.ts';
import { TEMPLATES } from './nodes/templates.ts';
import { AnalysisPanel } from './ui/AnalysisPanel.ts';
import { CataloguePicker } from './ui/CataloguePicker.ts';
import { CodeEditor, type EditorContent } from './ui/CodeEditor.ts';
import { ConsoleView } from './ui/ConsoleView.ts';
import { fillDeviceSelect } from './ui/devicePicker.ts';
import { byId, h } from './ui/dom.ts';
import { ErrorLog } from './ui/ErrorLog.ts';
import { LevelMeterView } from './ui/LevelMeterView.ts';
import { RttChart } from './ui/RttChart.ts';
import { SnippetView } from './ui/SnippetView.ts';
import { StatsView } from './ui/StatsView.ts';

/** 20 ms audio frames: half the messages of WebCodecs' 10 ms, on a channel that also carries video. */
const AUDIO_FRAME_MS = 20;
/** Error lines the probe keeps: a node failing on every frame must not grow the page's memory forever. */
const PROBE_ERROR_LIMIT = 200;

type LaneKind = 'video' | 'audio';

// The page is served by the edge, so the edge is this origin unless ?edge= says otherwise (the Vite dev server).
const edgeUrl = new URLSearchParams(location.search).get('edge') ?? location.origin;
const probe = new DemoProbe();
(window as unknown as { remotemediaDemo: DemoProbe }).remotemediaDemo = probe;

const startButton = byId<HTMLButtonElement>('start');
const stopButton = byId<HTMLButtonElement>('stop');
const deployButton = byId<HTMLButtonElement>('deploy');
const applyButton = byId<HTMLButtonElement>('apply-catalogue');
const runBranchesButton = byId<HTMLButtonElement>('run-branches');
const stopBranchesButton = byId<HTMLButtonElement>('stop-branches');
const status = byId<HTMLSpanElement>('status');
const cameraSelect = byId<HTMLSelectElement>('camera-select');
const micSelect = byId<HTMLSelectElement>('mic-select');
const formatSelect = byId<HTMLSelectElement>('format-select');
const sizeSelect = byId<HTMLSelectElement>('size-select');
const encodingSelect = byId<HTMLSelectElement>('encoding-select');
const transportSelect = byId<HTMLSelectElement>('transport-select');
// ?format=, ?size=, ?encoding= and ?transport= preset the pickers (tests pin RGBA and raw where they compare
// exact RGB values).
presetSelect(formatSelect, 'format');
presetSelect(sizeSelect, 'size');
presetSelect(encodingSelect, 'encoding');
presetSelect(transportSelect, 'transport');

function presetSelect(select: HTMLSelectElement, parameter: string): void {
  const value = new URLSearchParams(location.search).get(parameter);
  if (value !== null && [...select.options].some((option) => option.value === value)) select.value = value;
}

/** How video travels: `auto` is the SDK's default (JPEG over the data channel, raw over the WebSocket). */
function chosenEncoding(): 'auto' | VideoEncoding {
  const [codec, quality] = encodingSelect.value.split(':');
  if (codec === 'raw') return { codec: 'raw' };
  return codec === 'jpeg' ? jpegEncoding(quality === undefined ? undefined : Number(quality)) : 'auto';
}
const listen = byId<HTMLInputElement>('listen');

const errorLog = new ErrorLog(showError);
const consoleView = new ConsoleView();
probe.consoleLines = consoleView.lines;
const meterIn = new LevelMeterView(byId('meter-in'));
const meterOut = new LevelMeterView(byId('meter-out'));
const chart = new RttChart(byId<HTMLCanvasElement>('rtt-chart'));
const statsView = new StatsView();
const analysis = new AudioAnalysis();
probe.analysis = analysis;
const analysisPanel = new AnalysisPanel();
analysisPanel.update(analysis);
const snippetView = new SnippetView();
const catalogue = new CataloguePicker();
const editor = new CodeEditor((message) => showError(new Error(message)));

function showError(error: unknown, extra: Parameters<ErrorLog['add']>[1] = {}): void {
  const shown = errorLog.add(error, extra);
  if (probe.errors.length < PROBE_ERROR_LIMIT) probe.recordError(shown);
}

/** An error from a lane's node: a node the edge threw away offers to be made again. */
function showLaneError(kind: LaneKind, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const lane = lanes[kind];
  if (typeof code !== 'string' || !DEAD_NODE_CODES.has(code) || lane === undefined) return showError(error);
  const name = lane.node.name;
  showError(error, {
    hint: `The edge stopped ${name} and threw its sandbox away (its state is gone): it will not process frames again. Fix the code and Deploy, or Redeploy it as it was.`,
    action: { label: `Redeploy ${name}`, run: () => redeploy(kind, lane.origin) },
  });
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
  onError: (error) => showLaneError('video', error),
});

// The branches graph takes the camera from the video lane while it runs, and gives it back when stopped.
const branchLane = new BranchLane({
  canvases: { gray: byId<HTMLCanvasElement>('output'), motion: byId<HTMLCanvasElement>('output-branch') },
  onInput: () => videoLane.fpsIn.tick(),
  onFrame: (branch, input, output) => {
    probe.recordBranch(branch, input, output);
    if (branch === BRANCHES[0].id) videoLane.fpsOut.tick();
  },
  onError: (error) => showError(error),
});
byId('branch-list').replaceChildren(...BRANCHES.map((branch) => h('li', { textContent: `${branch.id}: ${branch.node} on the edge` })));

async function runBranches(): Promise<void> {
  if (session === undefined || camera === undefined) return;
  videoLane.setCamera(undefined);
  probe.branches = {};
  branchLane.start(session, camera);
  byId('video-node-name').textContent = `${BRANCHES[0].id}: ${BRANCHES[0].node}`;
  byId('branch-caption').textContent = BRANCHES[1].caption;
  byId('branch-figure').hidden = false;
}

async function stopBranches(): Promise<void> {
  await branchLane.stop();
  byId('branch-figure').hidden = true;
  clearCanvas(byId<HTMLCanvasElement>('output-branch'));
  if (session === undefined) return;
  videoLane.setCamera(camera);
  byId('video-node-name').textContent = videoLane.nodeName ?? '-';
}

const audioLane = new AudioLane({
  onInput: (frame, levels) => {
    meterIn.update(levels.rmsDb, levels.peakDb);
    analysis.addInput(frame, levels.rmsDb, levels.peakDb);
    probe.recordAudioInput(levels.rmsDb, { start: frame.timestamp, end: frame.timestamp + frameDurationMs(frame) });
  },
  onOutput: (input, items, audio) => {
    analysis.addOutputs(items);
    const inputLevels = levelsDb(input.samples);
    probe.recordAudioProcessed(inputLevels.rmsDb, { start: input.timestamp, end: input.timestamp + frameDurationMs(input) }, items);
    if (audio === undefined) return;
    meterOut.update(audio.levels.rmsDb, audio.levels.peakDb);
    probe.recordAudioOutput(input, inputLevels.sumSquares, audio.frame, audio.levels.sumSquares, audio.levels.rmsDb);
  },
  onError: (error) => showLaneError('audio', error),
});

let session: RemoteSession | undefined;
let camera: CameraCapture | undefined;
let mic: MicrophoneCapture | undefined;
let statsTimer: ReturnType<typeof setInterval> | undefined;
/** The node on each lane and how it was made. */
const lanes: Record<LaneKind, { node: RemoteNode; origin: NodeOrigin } | undefined> = { video: undefined, audio: undefined };
/** The editor's code as it last deployed: what Start falls back to when the editor holds code that does not. */
let lastGoodEditorNode: Extract<NodeOrigin, { from: 'editor' }> | undefined;
let snippetKind: LaneKind = 'video';

/** Puts a node on the lane it processes; the lane disposes the node it replaces. */
async function useNode(node: RemoteNode, kind: LaneKind, origin: NodeOrigin): Promise<void> {
  lanes[kind] = { node, origin };
  snippetKind = kind;
  showSnippet();
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

/** The snippet is for the lane that got a node last, with the page's settings as they are now. */
function showSnippet(): void {
  const lane = lanes[snippetKind];
  if (lane === undefined) return;
  snippetView.show({ edgeUrl, kind: snippetKind, origin: lane.origin, camera: cameraSettings(), audioFrameMs: AUDIO_FRAME_MS });
  probe.snippet = snippetView.current;
}

/** Packs and deploys `content`; nothing on the lanes changes unless the edge accepted it. */
async function deployEditorContent(opened: RemoteSession, content: EditorContent): Promise<void> {
  const pkg = await packSources({ sources: content.sources, entry: content.entry, exportName: content.exportName });
  const node = await opened.deploy(pkg);
  lastGoodEditorNode = { from: 'editor', content, pkg };
  await useNode(node, content.kind, lastGoodEditorNode);
}

async function deployFromEditor(): Promise<void> {
  if (session === undefined) return;
  const content = editor.content();
  const running = lanes[content.kind]?.node.name;
  await deployEditorContent(session, content).catch((error: unknown) => {
    showError(error, { hint: running ? `Not deployed: ${running} keeps running on the ${content.kind} lane.` : 'Not deployed.' });
  });
}

async function applyFromCatalogue(): Promise<void> {
  const selection = catalogue.selection();
  if (session === undefined || selection === undefined) return;
  const node = await session.node(selection.descriptor.name, selection.config);
  await useNode(node, selection.kind, { from: 'catalogue', descriptor: selection.descriptor, config: selection.config });
}

/** Makes a node again as it was made (same package, or same built-in and config) and puts it on `kind`'s lane. */
async function redeploy(kind: LaneKind, origin: NodeOrigin): Promise<void> {
  if (session === undefined) return;
  const node = origin.from === 'editor' ? await session.deploy(origin.pkg) : await session.node(origin.descriptor.name, origin.config);
  await useNode(node, kind, origin);
  errorLog.resolve(node.name, DEAD_NODE_CODES, `redeployed at ${new Date().toLocaleTimeString()}`);
}

/**
 * Start deploys the editor's node, but never code that does not deploy: the error is shown with the reason
 * and the last node that did deploy runs instead (none yet on a first Start: the lane waits for a Deploy).
 */
async function deployAtStart(opened: RemoteSession): Promise<void> {
  const content = editor.content();
  try {
    await deployEditorContent(opened, content);
  } catch (error) {
    const fallback = lastGoodEditorNode;
    showError(error, {
      hint: fallback
        ? `Start kept the last node that deployed: ${fallback.content.exportName}. Fix the code and press Deploy.`
        : `Nothing deployed on the ${content.kind} lane yet: fix the code and press Deploy.`,
    });
    if (fallback) await useNode(await opened.deploy(fallback.pkg), fallback.content.kind, fallback);
  }
}

/** Runs a button's action with the button disabled, showing any failure in the errors panel. */
function action(button: HTMLButtonElement, run: () => Promise<void>): void {
  button.addEventListener('click', () => {
    button.disabled = true;
    run()
      .catch((error: unknown) => showError(error))
      .finally(() => {
        button.disabled = session === undefined;
      });
  });
}

/**
 * The camera's frame format. Auto (the default) follows how frames travel: as JPEG (the data channel's default)
 * RGBA, since JPEG carries RGB and I420 would cost a conversion on each side for no saving on the wire; raw,
 * I420, 2.7x fewer bytes than RGBA (over the data channel bytes per frame decide the frame rate).
 */
function cameraSettings(): { width: number; height: number; format: PixelFormat } {
  const [width, height] = sizeSelect.value.split('x').map(Number) as [number, number];
  const chosen = formatSelect.value;
  if (chosen === 'rgba' || chosen === 'gray' || chosen === 'i420') return { width, height, format: chosen };
  return { width, height, format: session?.stats().video.encoding.codec === 'jpeg' ? 'rgba' : 'i420' };
}

function cameraOptions(): Parameters<typeof openCamera>[0] {
  return { ...cameraSettings(), ...(cameraSelect.value ? { deviceId: cameraSelect.value } : {}) };
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
  const opened = await connect(edgeUrl, {
    transport: transportSelect.value as 'auto' | 'datachannel' | 'websocket',
    video: { encoding: chosenEncoding() },
  });
  session = opened;
  // Auto's format depends on the encoding, known once connected (the camera opened before that); it holds for
  // the session, also if a reconnect changes the transport.
  const { format } = cameraSettings();
  const capture = camera;
  if (capture !== undefined) camera = { ...capture, frames: (overrides = {}) => capture.frames({ format, ...overrides }) };
  opened.on('error', (error) => showError(error));
  opened.on('console', ({ nodeName, level, text }) => consoleView.log(nodeName, level, text));
  opened.on('nodeRestored', ({ nodeName, state, reason }) =>
    consoleView.notice(
      `${nodeName} was re-created by the edge (${state === 'snapshot' ? 'from its last snapshot' : 'with fresh state'}) and keeps running: ${reason}`,
    ),
  );
  opened.on('reconnecting', ({ attempt, reason }) => setStatus(`Connection lost (${reason}); reconnecting, attempt ${attempt}…`, 'warn'));
  opened.on('reconnected', ({ resumed, recreated }) =>
    setStatus(resumed ? 'Reconnected; the edge kept the session' : `Reconnected; ${recreated} node(s) created again on the edge`, 'ok'),
  );
  opened.on('close', (reason) => setStatus(`Disconnected: ${reason}`, 'warn'));
  const descriptors = await opened.listNodes();
  probe.catalogue = descriptors.map((d) => d.name);
  catalogue.load(descriptors);
  videoLane.setCamera(camera);
  audioLane.setMicrophone(mic);
  await deployAtStart(opened);
  probe.transport = opened.stats().transport;
  setStatus(`Running on the edge over the ${probe.transport === 'datachannel' ? 'WebRTC data channel' : 'WebSocket'}`, 'ok');
  stopButton.disabled = false;
  deployButton.disabled = false;
  applyButton.disabled = false;
  runBranchesButton.disabled = false;
  stopBranchesButton.disabled = false;
  statsTimer = setInterval(tick, 250);
  probe.running = true;
}

function tick(): void {
  if (session === undefined) return;
  const stats = session.stats();
  probe.stats = stats;
  probe.transport = stats.transport;
  statsView.show({
    session: stats,
    video: videoLane.totals(),
    audio: audioLane.totals(),
    fpsIn: videoLane.fpsIn.rate(),
    fpsOut: videoLane.fpsOut.rate(),
  });
  chart.draw(stats.rttP50Ms, stats.rttP99Ms);
  probe.analysisCheck.drawn = analysisPanel.update(analysis);
}

/** Everything back to how the page was before Start: no stale counts, charts or meters. */
function stop(): void {
  clearInterval(statsTimer);
  videoLane.stop();
  void stopBranches();
  audioLane.stop();
  videoLane.resetTotals();
  audioLane.resetTotals();
  camera?.stop();
  mic?.stop();
  camera = undefined;
  mic = undefined;
  session?.close();
  session = undefined;
  lanes.video = undefined;
  lanes.audio = undefined;
  probe.resetAll();
  statsView.reset();
  chart.clear();
  chart.draw(Number.NaN, Number.NaN);
  meterIn.reset();
  meterOut.reset();
  analysis.clear();
  analysisPanel.update(analysis);
  byId('video-node-name').textContent = '-';
  byId('audio-node-name').textContent = 'bypass';
  clearCanvas(byId<HTMLCanvasElement>('output'));
  listen.checked = false;
  setStatus('Stopped');
  startButton.disabled = false;
  stopButton.disabled = true;
  deployButton.disabled = true;
  applyButton.disabled = true;
  runBranchesButton.disabled = true;
  stopBranchesButton.disabled = true;
}

function clearCanvas(canvas: HTMLCanvasElement): void {
  canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
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
    stop();
    setStatus('Failed to start', 'warn');
  });
});
stopButton.addEventListener('click', stop);
action(deployButton, deployFromEditor);
action(applyButton, applyFromCatalogue);
action(runBranchesButton, runBranches);
action(stopBranchesButton, stopBranches);
listen.addEventListener('change', () => {
  audioLane.listen(listen.checked).catch((error: unknown) => showError(error));
});
function reopenCamera(): void {
  if (session === undefined) return;
  camera?.stop();
  openCamera(cameraOptions())
    .then((opened) => {
      camera = opened;
      byId<HTMLVideoElement>('input').srcObject = opened.stream;
      if (branchLane.active && session !== undefined) branchLane.start(session, opened);
      else videoLane.setCamera(opened);
      showSnippet();
    })
    .catch((error: unknown) => showError(error));
}
cameraSelect.addEventListener('change', reopenCamera);
formatSelect.addEventListener('change', reopenCamera);
sizeSelect.addEventListener('change', reopenCamera);
// Transport and encoding are chosen when connecting: a change while running starts over with the new choice.
for (const select of [transportSelect, encodingSelect]) {
  select.addEventListener('change', () => {
    if (session === undefined) return;
    stop();
    startButton.click();
  });
}
micSelect.addEventListener('change', () => {
  if (session === undefined) return;
  mic?.stop();
  openMicrophone({ frameMs: AUDIO_FRAME_MS, ...(micSelect.value ? { deviceId: micSelect.value } : {}) })
    .then((opened) => {
      mic = opened;
      audioLane.setMicrophone(opened);
    })
    .catch((error: unknown) => showError(error));
});
