// Fails on purpose after a few frames, to show how an error inside the sandbox reaches the page:
// the node's name, the message and a stack pointing into this file.
export class FailingNode {
  constructor() {
    this.frames = 0;
  }

  process(frame) {
    this.frames++;
    if (this.frames > 3) checkFrame(this.frames);
    return frame;
  }
}

function checkFrame(count) {
  throw new RangeError(`frame ${count} is one too many`);
}
