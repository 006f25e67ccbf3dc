export * from './account';
export * from './invariants';
export * from './decide';
export * from './evolve';
export * from './hash-chain';
