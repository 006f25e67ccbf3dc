// `npm run migrate`: applies the ledger's and the gateway's numbered SQL migrations to
// DATABASE_URL, as each service does when it starts (same runner, same advisory lock), so that a
// schema can be brought up to date without starting the services.
import { GATEWAY_MIGRATIONS_DIRECTORY } from '@rtp/gateway/infrastructure';
import { LEDGER_MIGRATIONS_DIRECTORY } from '@rtp/ledger/infrastructure';
import { migrateSchema } from '@rtp/shared/database';

const SCHEMAS = [
  { schema: 'ledger', migrationsDirectory: LEDGER_MIGRATIONS_DIRECTORY },
  { schema: 'gateway', migrationsDirectory: GATEWAY_MIGRATIONS_DIRECTORY },
];

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is not set (`npm run infra` prints one)');
    process.exit(2);
  }
  for (const { schema, migrationsDirectory } of SCHEMAS) {
    const applied = await migrateSchema({ url, schema, migrationsDirectory });
    console.log(
      `[migrate] ${schema}: ${applied.length > 0 ? `applied ${applied.join(', ')}` : 'up to date'}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
