export * from './ports/bank-records';
export * from './ports/webhook-factory';
export * from './create-transfer/create-transfer.handler';
export * from './simulate-credit/simulate-credit.handler';
export * from './settle-transfers/settle-transfers.handler';
export * from './get-statement/get-statement.handler';
