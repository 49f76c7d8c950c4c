import type { KafkaMessage } from 'kafkajs';
import { decodeChange } from './decode-change';

const msg = (v: unknown) => ({ value: Buffer.from(JSON.stringify(v)) }) as KafkaMessage;

describe('decodeChange', () => {
  it('accepts weekly incomes beyond 64 bits in a rank move (sums are exact numerics)', async () => {
    const c = { star_id: '7', user_id: '1', reads: ['today-overview'], rank: [{ week: '2026-11-16', old: '0', new: String(10n ** 30n) }] };
    await expect(decodeChange(msg(c))).resolves.toEqual(c);
  });

  it('refuses an income that is not an integer of at most 1000 digits', async () => {
    for (const bad of ['1.5', '1e30', '', '1'.repeat(1001)]) {
      const c = { star_id: '7', user_id: '1', reads: [], rank: [{ week: '2026-11-16', old: '0', new: bad }] };
      await expect(decodeChange(msg(c))).rejects.toThrow('change record does not have the expected shape');
    }
  });
});
