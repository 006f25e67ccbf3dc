import { Result, succeeded } from '@rtp/gateway/domain';
import { ReviewReader } from '../list-exceptions/list-exceptions.port';
import { RunView } from '../ports/review-views';

/** The reconciliation runs, newest first, with their counts per class and rule. */
export class ListReconciliationRunsHandler {
  constructor(private readonly reader: Pick<ReviewReader, 'listRuns'>) {}

  async execute(query: { partnerId: string | null; limit: number }): Promise<Result<RunView[]>> {
    return succeeded(await this.reader.listRuns(query.partnerId, query.limit));
  }
}
