// `npm run asyncapi`: writes docs/asyncapi.yaml (payments.events.v1 and ledger.events.v1) from the
// contracts' zod schemas. Run from the repository's root.
import { writeFileSync } from 'node:fs';
import { ASYNCAPI_PATH, renderAsyncApi } from './render-asyncapi';

writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
console.log(`wrote ${ASYNCAPI_PATH}`);
