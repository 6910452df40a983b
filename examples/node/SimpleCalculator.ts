// A plain class. Nothing in it knows about RemoteMedia: `session.remote` ships it to the edge.
export class SimpleCalculator {
  history: string[] = [];

  add(a: number, b: number): number {
    this.history.push(`${a} + ${b}`);
    return a + b;
  }

  divide(a: number, b: number): number {
    if (b === 0) throw new RangeError(`cannot divide ${a} by zero`);
    this.history.push(`${a} / ${b}`);
    return a / b;
  }
}
