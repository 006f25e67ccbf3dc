import { Result, succeeded } from '@rtp/gateway/domain';
import { ReviewReader } from '../list-exceptions/list-exceptions.port';
import { RuleView } from '../ports/review-views';

/** Every matching rule version the reconciler activated, the set in force marked active. */
export class ListMatchingRulesHandler {
  constructor(private readonly reader: Pick<ReviewReader, 'listRules'>) {}

  async execute(): Promise<Result<RuleView[]>> {
    return succeeded(await this.reader.listRules());
  }
}
