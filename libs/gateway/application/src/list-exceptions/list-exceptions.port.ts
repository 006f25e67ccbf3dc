import { Page } from '../ports/views';
import {
  ExceptionDetail,
  ExceptionFilter,
  ExceptionSummary,
  RuleView,
  RunView,
} from '../ports/review-views';

/** The review queue's read models (on the reader). */
export interface ReviewReader {
  /** Oldest first, `limit` at most, from `cursor` on. */
  listExceptions(
    filter: ExceptionFilter,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<ExceptionSummary>>;
  readException(exceptionId: string): Promise<ExceptionDetail | null>;
  /** Newest first. */
  listRuns(partnerId: string | null, limit: number): Promise<RunView[]>;
  listRules(): Promise<RuleView[]>;
}
