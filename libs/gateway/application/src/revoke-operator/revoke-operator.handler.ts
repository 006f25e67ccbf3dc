import { Principal, Result, isBootstrapAdmin, refused, succeeded } from '@rtp/gateway/domain';
import { OperatorStore, OperatorView } from '../create-operator/create-operator.port';

/**
 * The bootstrap admin revokes an operator's key (someone leaves, a key leaked). The operator stays
 * named in every action they took; their name cannot be given to anyone else.
 */
export class RevokeOperatorHandler {
  constructor(private readonly store: Pick<OperatorStore, 'revokeOperator'>) {}

  async execute(principal: Principal, name: string): Promise<Result<OperatorView>> {
    if (!isBootstrapAdmin(principal)) return refused({ code: 'bootstrap_admin_required' });
    const revoked = await this.store.revokeOperator(name);
    return revoked ? succeeded(revoked) : refused({ code: 'operator_not_found', name });
  }
}
