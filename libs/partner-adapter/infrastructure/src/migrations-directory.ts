import { join } from 'node:path';

/** The adapter's numbered SQL migrations (applied by migrateSchema at start). */
export const PARTNER_ADAPTER_MIGRATIONS_DIRECTORY = join(__dirname, 'migrations');
