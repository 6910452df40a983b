// console.log, console.warn and friends inside the sandbox reach the page: the Console panel below shows
// each line with this node's name. Useful to see what a node is doing while it runs on the edge.
export class ConsoleNode {
  constructor() {
    this.frames = 0;
  }

  process(frame) {
    this.frames++;
    if (this.frames === 1) console.info('first frame:', frame.width, 'x', frame.height, frame.format);
    if (this.frames % 50 === 0) console.log('frames so far:', this.frames);
    return frame;
  }
}
