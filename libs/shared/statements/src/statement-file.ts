import type { STATEMENT_FORMATS, StatementEntry } from '@rtp/contracts';

export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** One account's statement in one currency, as a file holds it, checked and normalized. */
export interface ParsedStatement {
  /** The statement's own id in the file (`Stmt/Id`, or the CSV's `statementId`). */
  bankStatementId: string;
  accountIban: string;
  currency: string;
  /** The day the statement covers, YYYY-MM-DD. */
  date: string;
  openingMinor: bigint;
  closingMinor: bigint;
  entries: StatementEntry[];
}

export interface ParsedStatementFile {
  format: StatementFormat;
  statements: ParsedStatement[];
}

/** Why a file was refused: each a test case and a stable sub-code beside `statement_malformed`. */
export const MALFORMED_KINDS = [
  'too_large',
  'empty',
  'not_well_formed',
  'doctype_forbidden',
  'wrong_namespace',
  'schema_invalid',
  'missing_field',
  'invalid_value',
  'duplicate_entry',
  'currency_mismatch',
  'count_mismatch',
  'balance_mismatch',
  'csv_header',
  'csv_syntax',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** A refused file: nothing of it is used. `location` names the line or the element. */
export interface StatementProblem {
  code: 'statement_malformed';
  kind: MalformedKind;
  detail: string;
  /** `line 12`, or an element path such as `Stmt[1]/Ntry[3]/Amt` (positions from 1). */
  location: string | null;
}

export type StatementParseResult =
  { ok: true; file: ParsedStatementFile } | { ok: false; problem: StatementProblem };

/** Thrown inside the parsers only, turned into a `StatementProblem` value at their entry. */
export class StatementRefusal extends Error {
  constructor(
    readonly kind: MalformedKind,
    readonly detail: string,
    readonly location: string | null,
  ) {
    super(`${kind}${location ? ` at ${location}` : ''}: ${detail}`);
  }

  get problem(): StatementProblem {
    return {
      code: 'statement_malformed',
      kind: this.kind,
      detail: this.detail,
      location: this.location,
    };
  }
}

export function refuse(kind: MalformedKind, detail: string, location: string | null): never {
  throw new StatementRefusal(kind, detail, location);
}
