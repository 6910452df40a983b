/**
 * Sizes a canvas's backing store to its CSS box at the device's pixel ratio (sharp on high-DPI screens),
 * clears it, and returns a context that draws in CSS pixels. Undefined when the canvas has no 2D context.
 */
export function fitCanvas(canvas: HTMLCanvasElement): { g: CanvasRenderingContext2D; width: number; height: number } | undefined {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  if (g === null) return undefined;
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  return { g, width, height };
}
