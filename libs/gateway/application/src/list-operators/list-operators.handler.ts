import { Result, succeeded } from '@rtp/gateway/domain';
import { OperatorStore, OperatorView } from '../create-operator/create-operator.port';

/** The named operators, oldest first, with their key's prefix (never the key). */
export class ListOperatorsHandler {
  constructor(private readonly store: Pick<OperatorStore, 'listOperators'>) {}

  async execute(): Promise<Result<OperatorView[]>> {
    return succeeded(await this.store.listOperators());
  }
}
