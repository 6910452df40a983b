/** Breaks a limit on purpose, to show what the edge reports for each. */
export class Unbounded {
  private kept: Uint8Array[] = [];

  process(how: 'loop' | 'memory' | 'recursion' | 'throw'): number {
    if (how === 'loop') for (;;) {}
    if (how === 'memory') for (;;) this.kept.push(new Uint8Array(1024 * 1024));
    if (how === 'recursion') {
      const deeper = (n: number): number => deeper(n + 1) + 1;
      return deeper(0);
    }
    throw new RangeError('a plain exception');
  }
}
