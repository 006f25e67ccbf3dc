export * from './kafka-client';
export * from './outbox-publisher';
export * from './partition-runner';
export * from './resettable-producer';
