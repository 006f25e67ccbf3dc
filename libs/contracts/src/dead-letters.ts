import { z } from 'zod';

/** A DeadLetter as its topics carry it (the AsyncAPI document is generated from this). */
export const deadLetterSchema = z.strictObject({
  id: z.string().min(1).max(400),
  reason: z.string(),
  topic: z.string().min(1).max(200),
  partition: z.number().int().min(0),
  offset: z.string().regex(/^\d+$/),
  key: z.string().nullable(),
  value: z.string().nullable(),
});

/** A message that a consumer could not use, as it is kept on a dead-letter topic for a person. */
export interface DeadLetter {
  /** `dead-letter:<topic>:<partition>:<offset>`: the same message dead-lettered twice is one. */
  id: string;
  reason: string;
  topic: string;
  partition: number;
  offset: string;
  /** The original key and value, base64, exactly as they were on the topic. */
  key: string | null;
  value: string | null;
}

/** The interface and the schema describe the same thing. */
const _sameShape: z.infer<typeof deadLetterSchema> extends DeadLetter ? true : never = true;

/** The dead letter of the message at `offset` of `topic`[`partition`], and its JSON. */
export function deadLetterOf(
  original: {
    topic: string;
    partition: number;
    offset: string;
    key: Buffer | null;
    value: Buffer | null;
  },
  reason: string,
): { letter: DeadLetter; json: string } {
  const letter: DeadLetter = {
    id: `dead-letter:${original.topic}:${original.partition}:${original.offset}`,
    reason,
    topic: original.topic,
    partition: original.partition,
    offset: original.offset,
    key: original.key?.toString('base64') ?? null,
    value: original.value?.toString('base64') ?? null,
  };
  return { letter, json: JSON.stringify(letter) };
}
