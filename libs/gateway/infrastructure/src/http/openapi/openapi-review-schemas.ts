import { EXCEPTION_CLASSES, MATCH_CLASSES, RESOLUTIONS } from '@rtp/contracts';
import { EXCEPTION_STATUSES } from '@rtp/gateway/application';
import {
  approveResolutionSchema,
  createOperatorSchema,
  declineResolutionSchema,
  proposeResolutionSchema,
  runRequestSchema,
} from '../review-validation';
import { requestSchema } from './openapi-schemas';

type JsonSchema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const string: JsonSchema = { type: 'string' };
const nullableString: JsonSchema = { type: ['string', 'null'] };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const amountOut: JsonSchema = { type: 'string', pattern: '^[0-9]+$', description: 'Minor units' };
const integer: JsonSchema = { type: 'integer', minimum: 0 };
const object = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
});
const list = (item: string): JsonSchema => object({ data: { type: 'array', items: ref(item) } });

/** The operators' and the reconciliation review's bodies (requests from their zod schemas). */
const ledgerSide = object({
  kind: { enum: ['payout', 'deposit'] },
  recordId: string,
  accountId: string,
  creditDebit: { enum: ['CRDT', 'DBIT'] },
  amount: amountOut,
  currency: string,
  status: string,
  endToEndId: nullableString,
  bankTransactionId: nullableString,
  date: nullableString,
});
const bankSide = object({
  statementId: string,
  entryReference: string,
  creditDebit: { enum: ['CRDT', 'DBIT'] },
  amount: amountOut,
  currency: string,
  bookingDate: { type: 'string', format: 'date' },
  reversal: { type: 'boolean' },
  endToEndId: nullableString,
  transactionId: nullableString,
  reasonCode: nullableString,
});
const exceptionSummary = {
  id: string,
  partnerId: string,
  runId: string,
  class: { enum: [...EXCEPTION_CLASSES] },
  status: { enum: [...EXCEPTION_STATUSES] },
  currency: string,
  amountAtRisk: amountOut,
  date: { type: 'string', format: 'date' },
  acceptBankEffect: nullableString,
  detectedAt: time,
  resolvedAt: { ...time, type: ['string', 'null'] },
  ageSeconds: integer,
  ageBucket: { enum: ['under_1d', '1d_to_3d', '3d_to_7d', 'over_7d'] },
};
const proposal = object({
  id: string,
  resolution: { enum: [...RESOLUTIONS] },
  note: string,
  actor: string,
  requiresApproval: { type: 'boolean' },
  status: { enum: ['pending', 'approved', 'declined'] },
  decidedBy: nullableString,
  decisionNote: nullableString,
  ledgerCommandId: nullableString,
  proposedAt: time,
  decidedAt: { ...time, type: ['string', 'null'] },
});
const sentAction = {
  id: string,
  kind: { enum: ['propose', 'approve', 'decline'] },
  actor: string,
  proposalId: nullableString,
  status: { enum: ['sent', 'done', 'refused'] },
  refusal: { anyOf: [object({ code: string, detail: string }), { type: 'null' }] },
  createdAt: time,
};
const counts = object(Object.fromEntries(MATCH_CLASSES.map((name) => [name, integer])));

export const REVIEW_SCHEMAS: Record<string, JsonSchema> = {
  CreateOperatorRequest: requestSchema(createOperatorSchema),
  ProposeResolutionRequest: requestSchema(proposeResolutionSchema),
  ApproveResolutionRequest: requestSchema(approveResolutionSchema),
  DeclineResolutionRequest: requestSchema(declineResolutionSchema),
  RunRequest: requestSchema(runRequestSchema),
  OperatorCreated: object({ name: string, apiKey: string, createdAt: time }),
  Operator: object({
    name: string,
    keyPrefix: string,
    createdBy: string,
    createdAt: time,
    revokedAt: { ...time, type: ['string', 'null'] },
  }),
  OperatorList: list('Operator'),
  OperatorIdentity: object({ name: nullableString, bootstrapAdmin: { type: 'boolean' } }),
  ExceptionSummary: object(exceptionSummary),
  ExceptionPage: object({
    data: { type: 'array', items: ref('ExceptionSummary') },
    nextCursor: nullableString,
  }),
  ReconciliationException: object({
    ...exceptionSummary,
    ledgerSide: { type: 'array', items: ledgerSide },
    bankSide: { type: 'array', items: bankSide },
    resolution: {
      anyOf: [
        object({
          resolution: string,
          note: string,
          resolvedBy: string,
          approvedBy: nullableString,
          ledgerCommandId: nullableString,
        }),
        { type: 'null' },
      ],
    },
    proposals: { type: 'array', items: proposal },
    actions: { type: 'array', items: object(sentAction) },
    audit: {
      type: 'array',
      items: object({ eventId: string, type: string, actor: nullableString, at: time, detail: {} }),
    },
  }),
  ReviewAction: object({
    actionId: string,
    exceptionId: string,
    kind: { enum: ['propose', 'approve', 'decline'] },
    proposalId: nullableString,
    status: { enum: ['sent'] },
  }),
  Run: object({
    id: string,
    partnerId: string,
    date: { type: 'string', format: 'date' },
    trigger: { enum: ['schedule', 'on_demand', 'statement'] },
    requestedBy: string,
    statementFound: { type: 'boolean' },
    linesTotal: integer,
    counts,
    matchedByRule: { type: 'object', additionalProperties: integer },
    matchRateBasisPoints: { type: 'integer', minimum: 0, maximum: 10_000 },
    newExceptions: integer,
    autoResolved: integer,
    differencesBooked: integer,
    durationMs: integer,
    startedAt: time,
    completedAt: time,
  }),
  RunList: list('Run'),
  RunRequested: object({
    requestId: string,
    partnerId: string,
    date: { type: 'string', format: 'date' },
    fetchStatement: { type: 'boolean' },
    requestedBy: string,
  }),
  Rule: object({
    ruleId: string,
    version: { type: 'integer', minimum: 1 },
    strategy: { enum: ['1:1', '1:N', 'N:1'] },
    description: string,
    parameters: { type: 'object' },
    active: { type: 'boolean' },
    activatedAt: time,
  }),
  RuleList: list('Rule'),
};
