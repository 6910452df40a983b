import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '@remotemedia/shared';

interface Events {
  tick: (n: number) => void;
  done: (reason: string, code: number) => void;
}

describe('TypedEmitter: one emitter, one error policy', () => {
  it('calls listeners in subscription order with the emitted arguments', () => {
    const emitter = new TypedEmitter<Events>();
    const heard: string[] = [];
    emitter.on('done', (reason, code) => heard.push(`a:${reason}:${code}`));
    emitter.on('done', (reason, code) => heard.push(`b:${reason}:${code}`));
    emitter.on('tick', (n) => heard.push(`tick:${n}`));
    emitter.emit('done', 'bye', 3);
    expect(heard).toEqual(['a:bye:3', 'b:bye:3']);
  });

  it('a listener that throws is reported with its event, and the other listeners still run', () => {
    const reported: Array<{ message: string; event: string }> = [];
    const emitter = new TypedEmitter<Events>({
      onListenerError: (error, event) => reported.push({ message: (error as Error).message, event }),
    });
    const heard: number[] = [];
    emitter.on('tick', () => {
      throw new Error('listener bug');
    });
    emitter.on('tick', (n) => heard.push(n));
    emitter.emit('tick', 1);
    emitter.emit('tick', 2);
    expect(heard).toEqual([1, 2]);
    expect(reported).toEqual([
      { message: 'listener bug', event: 'tick' },
      { message: 'listener bug', event: 'tick' },
    ]);
  });

  it('an unsubscribe removes exactly its own subscription, however often it is called', () => {
    const emitter = new TypedEmitter<Events>();
    const heard: string[] = [];
    const shared = (n: number): void => {
      heard.push(`shared:${n}`);
    };
    const first = emitter.on('tick', shared);
    emitter.on('tick', shared);
    emitter.on('tick', (n) => heard.push(`other:${n}`));
    first();
    first();
    first();
    expect(emitter.listenerCount('tick')).toBe(2);
    emitter.emit('tick', 7);
    expect(heard).toEqual(['shared:7', 'other:7']);
  });

  it('subscribing or unsubscribing inside a listener does not disturb the emit in progress', () => {
    const emitter = new TypedEmitter<Events>();
    const heard: string[] = [];
    let removeLast = (): void => undefined;
    emitter.on('tick', (n) => {
      heard.push(`first:${n}`);
      removeLast();
      emitter.on('tick', (m) => heard.push(`late:${m}`));
    });
    removeLast = emitter.on('tick', (n) => heard.push(`last:${n}`));
    emitter.emit('tick', 1);
    expect(heard).toEqual(['first:1', 'last:1']);
    heard.length = 0;
    emitter.emit('tick', 2);
    expect(heard).toEqual(['first:2', 'late:2']);
  });
});
