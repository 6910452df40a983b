import type { NodeOrigin } from '../nodes/NodeOrigin.ts';

/** Everything the snippet is generated from: the page's state for one lane. */
export interface SnippetState {
  edgeUrl: string;
  kind: 'video' | 'audio';
  origin: NodeOrigin;
  /** The camera settings the page uses (video lane). */
  camera: { width: number; height: number; format: 'i420' | 'rgba' | 'gray' };
  /** The microphone's frame length the page uses (audio lane). */
  audioFrameMs: number;
}

/**
 * The code that does in an app what the page does for one lane: connect, make the same node (a built-in by
 * name with the config as entered, or the editor's modules packed and deployed), feed it the camera or the
 * microphone, and show what comes back. An ES module for a bundler (`npm install @remotemedia/browser-sdk`).
 */
export function appSnippet(state: SnippetState): string {
  const { origin, kind } = state;
  const imports = new Set(['connect', kind === 'video' ? 'LiveVideoPump' : 'LiveAudioPump', kind === 'video' ? 'openCamera' : 'openMicrophone']);
  if (kind === 'video') imports.add('drawVideoFrame');
  const playsAudio = kind === 'audio' && (origin.from === 'editor' || origin.descriptor.outputKinds.includes('audio')) && !emitsData(origin);
  if (playsAudio) imports.add('AudioPlayer');
  if (origin.from === 'editor') imports.add('packSources');

  const lines = [
    `import { ${[...imports].sort((a, b) => a.localeCompare(b)).join(', ')} } from '@remotemedia/browser-sdk';`,
    '',
    '// The edge this demo talks to: in your app, the URL of your own edge.',
    `const session = await connect(${quote(state.edgeUrl)});`,
    ...makeNode(origin),
    ...(kind === 'video' ? videoLoop(state.camera) : audioLoop(state.audioFrameMs, playsAudio)),
  ];
  return `${lines.join('\n')}\n`;
}

function makeNode(origin: NodeOrigin): string[] {
  if (origin.from === 'catalogue') {
    const config = changedConfig(origin);
    const args = Object.keys(config).length > 0 ? `, ${objectLiteral(config)}` : '';
    return [`const node = await session.node(${quote(origin.descriptor.name)}${args});`];
  }
  const { content } = origin;
  return [
    "// What the node prints with console.* inside the edge's sandbox.",
    "session.on('console', ({ nodeName, level, text }) => console[level](`[${nodeName}]`, text));",
    'const sources = {',
    ...Object.entries(content.sources).map(([path, source]) => `  ${quote(path)}: \`${templateBody(source)}\`,`),
    '};',
    `const node = await session.deploy(await packSources({ sources, entry: ${quote(content.entry)}, exportName: ${quote(content.exportName)} }));`,
  ];
}

function videoLoop(camera: SnippetState['camera']): string[] {
  return [
    `const camera = await openCamera(${objectLiteral(camera)});`,
    "const canvas = document.body.appendChild(document.createElement('canvas'));",
    '// Two frames out at once; a frame that would have to wait is skipped, so the picture stays current.',
    'const pump = new LiveVideoPump(node, {',
    '  maxInFlight: 2,',
    '  onOutput: ([frame]) => {',
    '    if (frame) drawVideoFrame(canvas, frame);',
    '  },',
    '  onError: (error) => console.error(error),',
    '});',
    'await pump.run(camera.frames());',
  ];
}

function audioLoop(frameMs: number, playsAudio: boolean): string[] {
  const head = [`const mic = await openMicrophone({ frameMs: ${frameMs} });`];
  const output = playsAudio
    ? [
        '// Browsers start audio only after a click on the page: in an app, create the player from one.',
        'const player = await AudioPlayer.create({ channels: 1 });',
        'const pump = new LiveAudioPump(node, {',
        '  onOutput: ([frame]) => {',
        '    if (frame) player.write(frame);',
        '  },',
      ]
    : [
        'const pump = new LiveAudioPump(node, {',
        '  onOutput: (items) => {',
        "    // Data the node produced, e.g. { type: 'speech-segment', start, end } in the frames' timebase (ms).",
        "    for (const item of items) if (item.kind !== 'audio') console.log(item);",
        '  },',
      ];
  return [...head, ...output, '  onError: (error) => console.error(error),', '});', 'await pump.run(mic.frames());'];
}

function emitsData(origin: NodeOrigin): boolean {
  return origin.from === 'catalogue' && origin.descriptor.outputKinds.includes('data');
}

/** The config as entered, without the fields left at the node's defaults: the snippet says what was chosen. */
function changedConfig(origin: Extract<NodeOrigin, { from: 'catalogue' }>): Record<string, unknown> {
  const fields = origin.descriptor.configSchema.properties;
  return Object.fromEntries(
    Object.entries(origin.config).filter(([key, value]) => {
      const field = fields[key];
      return field === undefined || !('default' in field) || field.default !== value;
    }),
  );
}

function objectLiteral(value: Record<string, unknown>): string {
  const entries = Object.entries(value).map(([key, v]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key)}: ${literal(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Source text inside a template literal: backslashes, backticks and `${` escaped, so it arrives byte for byte. */
function templateBody(source: string): string {
  return source.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}
