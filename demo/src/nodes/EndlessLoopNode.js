// Never returns from frame 30: the edge stops it at its time limit (SANDBOX_TIMEOUT) and throws its sandbox
// away, so every later frame gets SANDBOX_DISCARDED. The errors panel then offers to redeploy it.
export class EndlessLoopNode {
  constructor() {
    this.frames = 0;
  }

  process(frame) {
    this.frames++;
    while (this.frames >= 30) {
      // spins until the edge interrupts it
    }
    return frame;
  }
}
