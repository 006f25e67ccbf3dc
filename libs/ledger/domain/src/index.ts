export * from './account';
export * from './invariants';
export * from './decide';
export * from './evolve';
export * from './hash-chain';
export * from './checked-amounts';
export * from './decide-rejection';
