import avro, { type Type } from 'avsc';
import { AVRO_SCHEMAS, type AnyType } from '@fan/schemas';
import type { AnyEvent } from '@fan/events';
import { AVRO_OPTIONS } from './avro-long';
import { createDecoder, createEncoder } from './codec';
import type { SchemaRegistry } from './registry';

// Pure round trip: the registry's only job here is to hand back the schema of an id.
const types = Object.keys(AVRO_SCHEMAS) as AnyType[];
const ids = Object.fromEntries(types.map((t, i) => [t, 100 + i])) as Record<AnyType, number>;
const byId = new Map(types.map((t) => [ids[t], avro.Type.forSchema(AVRO_SCHEMAS[t] as never, { ...AVRO_OPTIONS } as never)]));
const registry = { getSchema: async (id: number) => byId.get(id) as Type } as unknown as SchemaRegistry;

const crystal = (reason: string): AnyEvent =>
  ({
    event_id: 'e-1',
    event_type: 'crystal.change',
    occurred_at: 1_700_000_000_123n,
    user_id: 2n ** 63n - 1n,
    star_id: 9_007_199_254_740_993n,
    properties: { amount: -25n, balance_after: 10n, reason },
  }) as unknown as AnyEvent;

describe('encoder', () => {
  it('frames each event as magic byte, schema id and Avro body, and decodes back to the same event', async () => {
    const encode = createEncoder(registry, ids);
    const decode = createDecoder(registry);
    for (const reason of ['r', 'ü'.repeat(10_000), 'x'.repeat(40_000), 'r']) {
      const event = crystal(reason);
      const bytes = await encode(event);
      expect(bytes[0]).toBe(0);
      expect(bytes.readInt32BE(1)).toBe(ids['crystal.change']);
      expect(bytes.subarray(5).equals(byId.get(ids['crystal.change'])!.toBuffer(event))).toBe(true);
      expect(await decode(bytes)).toEqual(event);
    }
  });

  it('hands out a Buffer of its own for every event (a later encode never changes an earlier one)', async () => {
    const encode = createEncoder(registry, ids);
    const first = Buffer.from(await encode(crystal('first')));
    const kept = await encode(crystal('first'));
    await encode(crystal('y'.repeat(50_000)));
    expect(kept.equals(first)).toBe(true);
  });

  it('keeps every event intact across slabs: 5,000 events of 1 B to 70 KB reasons, all decoded after the last encode', async () => {
    const encode = createEncoder(registry, ids);
    const decode = createDecoder(registry);
    const events = Array.from({ length: 5_000 }, (_, i) => crystal(String(i).padEnd(i % 997 === 0 ? 70_000 : (i * 37) % 300, 'é')));
    const encoded = [];
    for (const e of events) encoded.push(await encode(e));
    const type = byId.get(ids['crystal.change'])!;
    const header = Buffer.from([0, 0, 0, 0, ids['crystal.change']]);
    const differ = encoded.filter((b, k) => !b.equals(Buffer.concat([header, type.toBuffer(events[k])])));
    expect(differ).toHaveLength(0);
    const reasons = await Promise.all(
      encoded.map(async (b) => ((await decode(b)) as { properties: { reason: string } }).properties.reason),
    );
    expect(reasons.filter((r, k) => r !== (events[k] as unknown as { properties: { reason: string } }).properties.reason)).toHaveLength(0);
    // Views of shared slabs, not a Buffer each: far fewer backing stores than events.
    expect(new Set(encoded.map((b) => b.buffer)).size).toBeLessThan(200);
  });
});
