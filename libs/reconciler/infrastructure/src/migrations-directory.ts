import { join } from 'node:path';

/** The reconciler's numbered SQL migrations (applied by migrateSchema at start). */
export const RECONCILER_MIGRATIONS_DIRECTORY = join(__dirname, 'migrations');
