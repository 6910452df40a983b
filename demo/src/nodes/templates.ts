import boxBlurKernelsSource from './BoxBlurKernelsNode.js?raw';
import boxBlurLoopSource from './BoxBlurLoopNode.js?raw';
import consoleSource from './ConsoleNode.js?raw';
import endlessLoopSource from './EndlessLoopNode.js?raw';
import failingSource from './FailingNode.js?raw';
import grayscaleLoopSource from './GrayscaleLoopNode.js?raw';
import grayscaleSource from './GrayscaleNode.js?raw';
import halfGainSource from './HalfGainNode.js?raw';
import invertSource from './invert/InvertNode.js?raw';
import pixelsSource from './invert/pixels.js?raw';

/** A starting point for the editor: module files, which one is the entry, the class to deploy, what it processes. */
export interface NodeTemplate {
  readonly label: string;
  readonly files: Readonly<Record<string, string>>;
  readonly entry: string;
  readonly exportName: string;
  readonly kind: 'video' | 'audio';
}

export const TEMPLATES: readonly NodeTemplate[] = [
  {
    label: 'Grayscale (video)',
    files: { 'GrayscaleNode.js': grayscaleSource },
    entry: 'GrayscaleNode.js',
    exportName: 'GrayscaleNode',
    kind: 'video',
  },
  {
    label: 'Grayscale, plain JS loop (video)',
    files: { 'GrayscaleLoopNode.js': grayscaleLoopSource },
    entry: 'GrayscaleLoopNode.js',
    exportName: 'GrayscaleLoopNode',
    kind: 'video',
  },
  {
    label: 'Invert, two modules (video)',
    files: { 'InvertNode.js': invertSource, 'pixels.js': pixelsSource },
    entry: 'InvertNode.js',
    exportName: 'InvertNode',
    kind: 'video',
  },
  {
    label: 'Box blur 3x3, plain JS loop (video)',
    files: { 'BoxBlurLoopNode.js': boxBlurLoopSource },
    entry: 'BoxBlurLoopNode.js',
    exportName: 'BoxBlurLoopNode',
    kind: 'video',
  },
  {
    label: 'Box blur 3x3, host kernels (video)',
    files: { 'BoxBlurKernelsNode.js': boxBlurKernelsSource },
    entry: 'BoxBlurKernelsNode.js',
    exportName: 'BoxBlurKernelsNode',
    kind: 'video',
  },
  { label: 'Half gain (audio)', files: { 'HalfGainNode.js': halfGainSource }, entry: 'HalfGainNode.js', exportName: 'HalfGainNode', kind: 'audio' },
  {
    label: 'Logs to the console (video)',
    files: { 'ConsoleNode.js': consoleSource },
    entry: 'ConsoleNode.js',
    exportName: 'ConsoleNode',
    kind: 'video',
  },
  {
    label: 'Throws after 3 frames (video)',
    files: { 'FailingNode.js': failingSource },
    entry: 'FailingNode.js',
    exportName: 'FailingNode',
    kind: 'video',
  },
  {
    label: 'Endless loop on frame 30 (video)',
    files: { 'EndlessLoopNode.js': endlessLoopSource },
    entry: 'EndlessLoopNode.js',
    exportName: 'EndlessLoopNode',
    kind: 'video',
  },
];
