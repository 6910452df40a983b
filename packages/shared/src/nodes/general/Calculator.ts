import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { describeValue } from '../schema/describeValue.ts';

export const CALCULATOR_OPERATIONS = ['add', 'subtract', 'multiply', 'divide', 'modulo', 'power'] as const;
export type CalculatorOperation = (typeof CALCULATOR_OPERATIONS)[number];

export interface CalculatorConfig {
  operation: CalculatorOperation;
}

/** Input: `{ a, b }` with an optional `op` that overrides the configured operation. */
export interface CalculatorInput {
  op?: CalculatorOperation;
  a: number;
  b: number;
}

export interface CalculatorOutput {
  op: CalculatorOperation;
  a: number;
  b: number;
  result: number;
}

export function calculate(op: CalculatorOperation, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'subtract':
      return a - b;
    case 'multiply':
      return a * b;
    case 'divide':
      if (b === 0) throw new RemoteMediaError(ErrorCode.DivisionByZero, `cannot divide ${a} by zero`);
      return a / b;
    case 'modulo':
      if (b === 0) throw new RemoteMediaError(ErrorCode.DivisionByZero, `cannot take ${a} modulo zero`);
      return a % b;
    case 'power':
      return a ** b;
  }
}

/** Arithmetic on `{ op, a, b }` items; emits `{ op, a, b, result }`. Division by zero is DIVISION_BY_ZERO, not Infinity. */
export class CalculatorNode implements PipelineNode<CalculatorInput, CalculatorOutput> {
  readonly name = 'Calculator';
  private readonly operation: CalculatorOperation;

  constructor(config: CalculatorConfig) {
    this.operation = config.operation;
  }

  process(input: CalculatorInput): CalculatorOutput {
    if (typeof input !== 'object' || input === null) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `Calculator takes { op, a, b }, got ${describeValue(input)}`);
    }
    const op = input.op ?? this.operation;
    if (!CALCULATOR_OPERATIONS.includes(op)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `op: must be one of ${CALCULATOR_OPERATIONS.join(', ')}, got ${describeValue(op)}`);
    }
    for (const key of ['a', 'b'] as const) {
      if (typeof input[key] !== 'number' || !Number.isFinite(input[key])) {
        throw new RemoteMediaError(ErrorCode.InvalidInput, `${key}: must be a finite number, got ${describeValue(input[key])}`);
      }
    }
    return { op, a: input.a, b: input.b, result: calculate(op, input.a, input.b) };
  }
}

export const calculatorDefinition = defineBuiltinNode<CalculatorConfig>({
  name: 'Calculator',
  description: 'Arithmetic on { op?, a, b } items, emitting { op, a, b, result }.',
  category: 'general',
  configSchema: {
    properties: {
      operation: {
        type: 'string',
        description: 'Operation used when an item has no `op`.',
        enum: CALCULATOR_OPERATIONS,
        default: 'add',
      },
    },
  },
  example: { operation: 'multiply' },
  inputKinds: ['data'],
  outputKinds: ['data'],
  remote: true,
  build: (config) => new CalculatorNode(config),
});
