// Two modules: this one imports a helper from ./pixels.js; both are packed together and run on the edge.
import { invertRgb } from './pixels.js';

export class InvertNode {
  process(frame) {
    invertRgb(frame.data);
    return frame;
  }
}
