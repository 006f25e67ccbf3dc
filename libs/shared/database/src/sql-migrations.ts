import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationInterface, QueryRunner } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

const FILE_PATTERN = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/**
 * Turns numbered SQL files (`0001-create-journal.sql`) into TypeORM migrations, so the schema lives
 * in reviewed SQL while TypeORM keeps the record of what ran. Down migrations are deliberately absent:
 * a ledger's history is only ever corrected forward.
 */
export function loadSqlMigrations(directory: string, prefix: string): MigrationClass[] {
  const files = readdirSync(directory)
    .filter((file) => FILE_PATTERN.test(file))
    .sort();
  return files.map((file) => {
    const [, number, slug] = FILE_PATTERN.exec(file) as RegExpExecArray;
    const sql = readFileSync(join(directory, file), 'utf8');
    // TypeORM orders migrations by the trailing timestamp in the name; the file number stands in.
    const name = `${prefix}-${slug}-${String(Number(number)).padStart(13, '0')}`;
    return class implements MigrationInterface {
      name = name;
      async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(sql);
      }
      async down(): Promise<void> {
        throw new Error(`migration ${name} is forward-only`);
      }
    };
  });
}
