/**
 * Stable machine-readable error codes. A code never changes meaning once released;
 * messages may be reworded.
 */
export type TelcoAnalyticsErrorCode =
  | 'INVALID_DATA'
  | 'INVALID_OPTION'
  | 'EMPTY_INPUT'
  | 'NOT_CONVERGED'
  | 'INVALID_MODEL'
  | 'LIMIT_EXCEEDED'
  | 'UNSUPPORTED';

/**
 * The base of every error the package throws, so callers can catch ours apart from
 * programming errors with one `instanceof`.
 *
 * @example
 * try { createRng(Number.NaN); } catch (error) {
 *   if (error instanceof TelcoAnalyticsError) console.log(error.code); // => 'INVALID_OPTION'
 * }
 */
export class TelcoAnalyticsError extends Error {
  readonly code: TelcoAnalyticsErrorCode;

  constructor(code: TelcoAnalyticsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TelcoAnalyticsError';
    this.code = code;
  }
}

/** One problem found in one cell of the input. */
export interface DataIssue {
  /** 1-based record number in the input, header excluded (the first data record is row 1). */
  readonly row: number;
  /** The column as the caller named it (the file's own header name when a `columns` mapping was used). */
  readonly column: string;
  /** What is wrong, in words. */
  readonly reason: string;
  /** 1-based line in the source file where the record starts, when the input was a file or CSV text. */
  readonly line?: number;
}

function describeIssue(issue: DataIssue): string {
  const where = issue.line === undefined ? `row ${issue.row}` : `row ${issue.row} (line ${issue.line})`;
  return `${where}, column '${issue.column}': ${issue.reason}`;
}

/**
 * Bad input data. `issues` lists every problem found (at least one); the message names the
 * first one's row and column so a log line alone is enough to find it.
 *
 * @example
 * const error = new DataError('readCalls', [{ row: 3, column: 'durationSec', reason: 'negative: -5' }]);
 * error.message; // => "readCalls: row 3, column 'durationSec': negative: -5"
 */
export class DataError extends TelcoAnalyticsError {
  readonly issues: readonly DataIssue[];

  constructor(context: string, issues: readonly DataIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super('INVALID_DATA', `${context}: ${first ? describeIssue(first) : 'invalid data'}${more}`);
    this.name = 'DataError';
    this.issues = issues;
  }
}

/**
 * An option outside its documented domain.
 *
 * @example
 * new OptionError('kmeans', 'k', 'must be a positive integer, received 0').message;
 * // => "kmeans: option 'k' must be a positive integer, received 0"
 */
export class OptionError extends TelcoAnalyticsError {
  readonly option: string;

  constructor(context: string, option: string, problem: string) {
    super('INVALID_OPTION', `${context}: option '${option}' ${problem}`);
    this.name = 'OptionError';
    this.option = option;
  }
}
