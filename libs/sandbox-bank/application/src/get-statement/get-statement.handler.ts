import {
  Statement,
  StatementEntry,
  applyStatementDefects,
  buildStatements,
} from '@rtp/sandbox-bank/domain';
import type { FaultSource, IdsAndClock } from '../ports/bank-records';

export interface StatementStore {
  /** The account's balances at the start of the day (UTC) and the entries booked that day. */
  statementDay(
    accountIban: string,
    date: string,
  ): Promise<{ openingByCurrency: Map<string, bigint>; entries: StatementEntry[] }>;
}

/** `GET /v1/statements/{date}`: the day's statements of our settlement account, with defects. */
export class GetStatementHandler {
  constructor(
    private readonly store: StatementStore,
    private readonly faults: FaultSource,
    private readonly settlementIban: string,
    private readonly system: IdsAndClock,
  ) {}

  async execute(date: string): Promise<Statement[]> {
    const day = await this.store.statementDay(this.settlementIban, date);
    const statements = buildStatements({
      accountIban: this.settlementIban,
      date,
      createdAt: this.system.now().toISOString(),
      ...day,
    });
    const settings = this.faults.current().statements;
    return statements.map((statement) => {
      const defective = applyStatementDefects(statement, settings, this.faults.seed);
      for (const kind of defective.defects) this.faults.record(kind);
      return defective.statement;
    });
  }
}
