import { join } from 'node:path';

/** The sandbox bank's SQL migrations, applied in order at start. */
export const SANDBOX_BANK_MIGRATIONS_DIRECTORY = join(__dirname, 'migrations');
