import { Result, succeeded } from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { ExceptionFilter, ExceptionSummary } from '../ports/review-views';
import { Page } from '../ports/views';
import { ReviewReader } from './list-exceptions.port';

export type ExceptionsQuery = Omit<ExceptionFilter, 'now'> & {
  limit: number;
  cursor: string | undefined;
};

/** The exceptions the filter keeps, oldest first (the longest waiting is the first to look at). */
export class ListExceptionsHandler {
  constructor(
    private readonly reader: Pick<ReviewReader, 'listExceptions'>,
    private readonly system: IdsAndClock,
  ) {}

  async execute(query: ExceptionsQuery): Promise<Result<Page<ExceptionSummary>>> {
    const { limit, cursor, ...filter } = query;
    const now = this.system.now();
    return succeeded(await this.reader.listExceptions({ ...filter, now }, limit, cursor));
  }
}
