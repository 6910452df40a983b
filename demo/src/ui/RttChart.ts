import { fitCanvas } from './fitCanvas.ts';

/**
 * Round trips of recent frames as a line, with the session's p50 and p99 as dashed guides. A canvas, not
 * a chart library: a few hundred points redrawn four times a second.
 */
export class RttChart {
  private readonly canvas: HTMLCanvasElement;
  private readonly samples: number[] = [];
  private readonly capacity: number;

  constructor(canvas: HTMLCanvasElement, capacity = 120) {
    this.canvas = canvas;
    this.capacity = capacity;
  }

  add(roundTripMs: number): void {
    this.samples.push(roundTripMs);
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  clear(): void {
    this.samples.length = 0;
  }

  draw(p50: number, p99: number): void {
    const fitted = fitCanvas(this.canvas);
    if (fitted === undefined) return;
    const { g, width, height } = fitted;
    const finite = [p99, ...this.samples].filter(Number.isFinite);
    const top = niceCeiling(Math.max(10, ...finite));
    const y = (ms: number): number => height - 14 - (Math.min(ms, top) / top) * (height - 22);
    g.font = '10px system-ui, sans-serif';
    g.fillStyle = '#6b7280';
    g.fillText(`${top} ms`, 4, 10);
    g.fillText('0', 4, height - 4);
    for (const [value, colour, label] of [
      [p50, '#2563eb', 'p50'],
      [p99, '#dc2626', 'p99'],
    ] as const) {
      if (!Number.isFinite(value)) continue;
      g.strokeStyle = colour;
      g.setLineDash([4, 3]);
      g.beginPath();
      g.moveTo(0, y(value));
      g.lineTo(width, y(value));
      g.stroke();
      g.fillStyle = colour;
      g.fillText(label, width - 24, y(value) - 3);
    }
    g.setLineDash([]);
    g.strokeStyle = '#111827';
    g.lineWidth = 1.25;
    g.beginPath();
    this.samples.forEach((ms, i) => {
      const x = (i / (this.capacity - 1)) * width;
      if (i === 0) g.moveTo(x, y(ms));
      else g.lineTo(x, y(ms));
    });
    g.stroke();
  }
}

/** 10, 20, 50, 100, 200, 500, ...: a round top for the axis. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}
