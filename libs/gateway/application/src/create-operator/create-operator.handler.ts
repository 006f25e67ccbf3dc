import {
  API_KEY_PREFIX,
  Principal,
  Result,
  generateApiKey,
  hashApiKey,
  isBootstrapAdmin,
  operatorClientId,
  refused,
  succeeded,
} from '@rtp/gateway/domain';
import { IdsAndClock } from '../ports/ids-and-clock.port';
import { OperatorStore } from './create-operator.port';

export interface CreatedOperator {
  name: string;
  /** Shown once: only its hash is stored. */
  apiKey: string;
  createdAt: Date;
}

/**
 * The bootstrap admin names an operator and hands them a key of their own (admin scope): every
 * review action taken with it names that operator. An operator cannot create another one, or one
 * person could be both maker and checker under two names.
 */
export class CreateOperatorHandler {
  constructor(
    private readonly store: OperatorStore,
    private readonly system: IdsAndClock,
  ) {}

  async execute(principal: Principal, input: { name: string }): Promise<Result<CreatedOperator>> {
    if (!isBootstrapAdmin(principal)) return refused({ code: 'bootstrap_admin_required' });
    const apiKey = generateApiKey();
    const created = await this.store.createOperator({
      name: input.name,
      clientId: operatorClientId(input.name),
      keyHash: hashApiKey(apiKey),
      keyPrefix: apiKey.slice(0, API_KEY_PREFIX.length + 6),
      createdBy: principal.clientId,
    });
    if (!created) return refused({ code: 'operator_exists', name: input.name });
    return succeeded({ name: input.name, apiKey, createdAt: this.system.now() });
  }
}
