import { join } from 'node:path';

/** The gateway's SQL migrations, applied in order at start (and by the rebuild and migrate tools). */
export const GATEWAY_MIGRATIONS_DIRECTORY = join(__dirname, 'migrations');
