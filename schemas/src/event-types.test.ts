import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderEventTypes } from './event-types';
import { AVRO_SCHEMAS } from './index';

describe('event types generated from the Avro schemas', () => {
  it('the committed file is what the schemas render (run `npm run schemas:types` after changing a schema)', () => {
    const committed = readFileSync(join(__dirname, '../../libs/events/src/generated/event-types.ts'), 'utf8');
    expect(committed).toBe(renderEventTypes(AVRO_SCHEMAS));
  });

  it('refuses a schema whose common fields differ', () => {
    const broken = {
      ...AVRO_SCHEMAS,
      'asset.like': {
        ...AVRO_SCHEMAS['asset.like'],
        fields: AVRO_SCHEMAS['asset.like'].fields.filter((f) => (f as { name: string }).name !== 'star_id'),
      },
    };
    expect(() => renderEventTypes(broken)).toThrow('AssetLike.star_id differs from the common fields');
  });
});
