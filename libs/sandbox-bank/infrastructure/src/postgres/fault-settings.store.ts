import type { DataSource } from 'typeorm';
import { FaultSettings, faultSettingsSchema } from '@rtp/sandbox-bank/domain';
import { rows } from './sql';

/** The fault settings in force, kept in the database so that a restart keeps them. */
export class PostgresFaultSettingsStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<FaultSettings | null> {
    const [row] = await rows(this.dataSource.manager, 'SELECT settings FROM fault_settings', []);
    return row ? faultSettingsSchema.parse(row.settings) : null;
  }

  async save(settings: FaultSettings, now: Date): Promise<void> {
    await rows(
      this.dataSource.manager,
      `INSERT INTO fault_settings (singleton, settings, updated_at) VALUES (true, $1, $2)
       ON CONFLICT (singleton) DO UPDATE SET settings = EXCLUDED.settings,
         updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(settings), now],
    );
  }
}
