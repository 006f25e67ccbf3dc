import { commandIds } from '@rtp/contracts';
import { BenchDatabase } from '../harness/bench-database';
import { commandOutcomes, moneyCheck } from './ledger-outcomes';
import { BenchResult } from './ledger-result';
import { WorkloadPlan } from './workload-plan';

/** Every account opened and funded, or the transfers would measure rejections. */
export async function checkSeed(
  database: BenchDatabase,
  runId: string,
  accounts: number,
): Promise<void> {
  const outcomes = await commandOutcomes(database, [
    `${commandIds.openAccount(`bench-${runId}-`)}%`,
    `${commandIds.deposit(`bench-${runId}-`)}%`,
  ]);
  const opened = outcomes.get('OpenAccount/AccountOpened') ?? 0;
  const funded = outcomes.get('Deposit/DepositCompleted') ?? 0;
  if (opened !== accounts || funded !== accounts) {
    throw new Error(`seeding incomplete: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  }
}

/**
 * Transfers move money between the run's accounts and never create or destroy it: their total is
 * what was deposited, none is negative, and with every second leg done the transit accounts
 * (debited on one partition, credited on another) sum to zero.
 */
export async function checkMoney(
  database: BenchDatabase,
  plan: WorkloadPlan,
): Promise<BenchResult['checks']['money']> {
  const money = await moneyCheck(database, plan.runId);
  const planned = plan.depositsMinor.reduce((sum, deposit) => sum + BigInt(deposit), 0n);
  return {
    ...money,
    plannedDepositsMinor: planned.toString(),
    conserved:
      BigInt(money.runCustomerTotalMinor) === planned &&
      money.runNegativeAccounts === 0 &&
      BigInt(money.transitTotalMinor) === 0n,
  };
}
