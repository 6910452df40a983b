import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';

/** One problem, located by a path such as `config.gainDb` or `nodes[2].config.gainDb`. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.path}: ${issue.message}`;
}

/** A config or manifest was rejected. `issues` lists every problem found, not only the first. */
export class ValidationError extends RemoteMediaError {
  readonly issues: readonly ValidationIssue[];

  constructor(code: ErrorCode, summary: string, issues: readonly ValidationIssue[]) {
    super(code, `${summary}:\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

export function invalidConfig(nodeName: string, issues: readonly ValidationIssue[]): ValidationError {
  return new ValidationError(ErrorCode.InvalidConfig, `invalid config for node "${nodeName}"`, issues);
}
