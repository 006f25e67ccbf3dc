export * from './webhooks.runner';
export * from './webhook-endpoints.store';
export * from './webhook-delivery.store';
export * from './webhook-sender';
export * from './webhook-payload';
export * from './safe-webhook-post';
export * from './webhook-intake.worker';
