/** Events per second over the last two seconds. */
export class FpsCounter {
  private readonly times: number[] = [];

  tick(): void {
    const now = performance.now();
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0]! > 2000) this.times.shift();
  }

  rate(): number {
    const now = performance.now();
    while (this.times.length > 0 && now - this.times[0]! > 2000) this.times.shift();
    if (this.times.length < 2) return 0;
    return ((this.times.length - 1) * 1000) / (now - this.times[0]!);
  }

  clear(): void {
    this.times.length = 0;
  }
}
