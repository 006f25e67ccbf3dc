import { randomUUID } from 'node:crypto';
import { IdsAndClock } from '@rtp/gateway/application';

/** Random UUIDs and the system clock, for the running service. */
export const SYSTEM_IDS_AND_CLOCK: IdsAndClock = {
  newId: () => randomUUID(),
  now: () => new Date(),
};
