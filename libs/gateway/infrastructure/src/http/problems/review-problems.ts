import { GatewayRefusal } from '@rtp/gateway/domain';
import { HttpProblem } from './http-problem';

type ReviewCode =
  | 'bootstrap_admin_required'
  | 'operator_required'
  | 'operator_exists'
  | 'operator_not_found'
  | 'exception_not_found'
  | 'proposal_not_found'
  | 'exception_not_open'
  | 'proposal_not_pending'
  | 'same_actor';
type Refusal<C extends ReviewCode> = Extract<GatewayRefusal, { code: C }>;

/** The problems of the operators' and the reconciliation review's refusals (see refusal-problem). */
export const REVIEW_PROBLEMS: { [C in ReviewCode]: (refusal: Refusal<C>) => HttpProblem } = {
  bootstrap_admin_required: () => ({
    status: 403,
    code: 'bootstrap_admin_required',
    title: 'Only the bootstrap admin key may do this',
    detail:
      'Operators are created with the configured admin key (ADMIN_API_KEY), not by operators.',
  }),
  operator_required: () => ({
    status: 403,
    code: 'operator_required',
    title: "A named operator's key is required",
    detail:
      'Review actions are taken by a named operator with their own key (POST /v1/admin/operators), ' +
      'so that every action names its actor.',
  }),
  operator_exists: ({ name }) => ({
    status: 409,
    code: 'operator_exists',
    title: 'An operator of this name exists',
    detail: `An operator named ${name} exists already.`,
  }),
  operator_not_found: ({ name }) => ({
    status: 404,
    code: 'operator_not_found',
    title: 'Operator not found',
    detail: `No operator named ${name} exists.`,
  }),
  exception_not_found: ({ exceptionId }) => ({
    status: 404,
    code: 'exception_not_found',
    title: 'Exception not found',
    detail: `No reconciliation exception ${exceptionId} is known.`,
  }),
  proposal_not_found: ({ exceptionId, proposalId }) => ({
    status: 404,
    code: 'proposal_not_found',
    title: 'Proposal not found',
    detail: `Exception ${exceptionId} has no proposal ${proposalId}.`,
  }),
  exception_not_open: ({ exceptionId, status }) => ({
    status: 409,
    code: 'exception_not_open',
    title: 'The exception is not open to a proposal',
    detail: `Exception ${exceptionId} is ${status}: it takes no new proposal now.`,
    extra: { status },
  }),
  proposal_not_pending: ({ proposalId, status }) => ({
    status: 409,
    code: 'proposal_not_pending',
    title: 'The proposal is decided already',
    detail: `Proposal ${proposalId} is ${status}.`,
    extra: { status },
  }),
  same_actor: ({ proposalId }) => ({
    status: 403,
    code: 'same_actor',
    title: 'The checker must be another operator',
    detail: `Proposal ${proposalId} was made by this operator; another operator must decide it.`,
  }),
};
