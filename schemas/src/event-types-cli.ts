/** `npm run schemas:types`: writes the events' TypeScript types rendered from the Avro schemas. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventTypes } from './event-types';
import { AVRO_SCHEMAS } from './index';

const target = join(__dirname, '../../libs/events/src/generated/event-types.ts');
writeFileSync(target, renderEventTypes(AVRO_SCHEMAS));
console.log(`wrote ${target}`);
