import { z } from 'zod';
import { EXCEPTION_CLASSES, RESOLUTIONS } from '@rtp/contracts';
import { EXCEPTION_STATUSES } from '@rtp/gateway/application';
import { OPERATOR_NAME_PATTERN } from '@rtp/gateway/domain';
import { HttpProblemError } from './problems/http-problem';
import { currencySchema, cursorSchema, idSchema, limitSchema } from './validation';

/**
 * The reconciler's ids (exceptions, proposals) are any 1 to 200 characters by the contract (they
 * hold `:` and record or statement line ids); only control characters or a longer id name nothing
 * and are not read. An id is only ever a SQL parameter.
 */
const REVIEW_ID = /^[^\u0000-\u001f\u007f]{1,200}$/u;

export function reviewIdOf(value: string): string {
  if (REVIEW_ID.test(value)) return value;
  throw new HttpProblemError({
    status: 400,
    code: 'validation_failed',
    title: 'The request is not valid',
    detail: 'The path does not hold a valid id (1 to 200 characters, no control characters).',
  });
}

const note = z.string().trim().min(1, 'a note is required').max(2000);

export const createOperatorSchema = z.strictObject({
  name: z
    .string()
    .regex(
      OPERATOR_NAME_PATTERN,
      'lower case letters, digits, ".", "_" or "-", starting with a letter, 2 to 64 characters',
    ),
});

export const proposeResolutionSchema = z.strictObject({
  resolution: z.enum(RESOLUTIONS),
  note,
});

export const approveResolutionSchema = z.strictObject({});

export const declineResolutionSchema = z.strictObject({ note });

export const exceptionsQuerySchema = z.strictObject({
  status: z.enum(EXCEPTION_STATUSES).optional(),
  class: z.enum(EXCEPTION_CLASSES).optional(),
  currency: currencySchema.optional(),
  partnerId: idSchema.optional(),
  minAgeHours: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,5})$/, 'a whole number of hours from 0 to 999999, digits only')
    .transform(Number)
    .optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

export const runsQuerySchema = z.strictObject({
  partnerId: idSchema.optional(),
  limit: limitSchema,
});

export const runRequestSchema = z.strictObject({
  partnerId: idSchema,
  date: z.iso.date('must be a date, YYYY-MM-DD'),
  fetchStatement: z.boolean().optional(),
});
