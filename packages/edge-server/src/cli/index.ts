/** The `remotemedia-edge` command line as a library: the entry point and the parts its output is made of. */
export { main } from './main.ts';
export type { Command, CommandIo } from './Command.ts';
export { RunProgress, type ProgressStyle } from './progress/RunProgress.ts';
export { progressLine, renderProgressBar, type ProgressState } from './progress/formatProgress.ts';
export { TimeLeftEstimator } from './progress/TimeLeftEstimator.ts';
export { formatDuration } from './progress/formatDuration.ts';
