import type { Attack } from '../Attack.ts';
import { bigState } from './bigState.ts';
import { consoleFlood } from './consoleFlood.ts';
import { hugeResize } from './hugeResize.ts';
import { idleSockets } from './idleSockets.ts';
import { malformedFrames } from './malformedFrames.ts';
import { msgpackFuzz } from './msgpackFuzz.ts';
import { nonReader } from './nonReader.ts';
import { pipelinedSlowCalls } from './pipelinedSlowCalls.ts';
import { sandboxHoarding } from './sandboxHoarding.ts';
import { workerPin } from './workerPin.ts';

/** Issue 15's attack classes, in the order the bench runs them. */
export const ATTACKS: readonly Attack[] = [
  malformedFrames,
  msgpackFuzz,
  idleSockets,
  nonReader,
  workerPin,
  pipelinedSlowCalls,
  consoleFlood,
  hugeResize,
  bigState,
  sandboxHoarding,
];
