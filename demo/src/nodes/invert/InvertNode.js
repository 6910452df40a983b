// Two modules: this one imports a helper from ./pixels.js; both are packed together and run on the edge.
import { invertRgb } from './pixels.js';

export class InvertNode {
  // The pixel loop is written for RGBA: the edge converts I420 and gray frames to RGBA before process() sees
  // them, so this node never paints a planar frame as if it were RGBA. Its output goes back as RGBA.
  static acceptedFormats = ['rgba'];

  process(frame) {
    invertRgb(frame.data);
    return frame;
  }
}
