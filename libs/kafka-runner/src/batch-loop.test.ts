import type { Batch, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { consumerMetrics } from '@fan/observability';
import { processBatch, type BatchLoopParts } from './batch-loop';
import type { DeadLetter } from './dead-letter';
import { PartitionBackoffError } from './partition-backoff';
import { createStallTracker } from './stalls';

const msg = (offset: number, value: string): KafkaMessage =>
  ({ offset: String(offset), value: Buffer.from(value), key: null, timestamp: '0', attributes: 0, headers: {} }) as KafkaMessage;

function harness(values: string[], overrides: Partial<BatchLoopParts<string>> = {}) {
  const log: string[] = [];
  const dead: DeadLetter[] = [];
  const batch = {
    topic: 't',
    partition: 3,
    highWatermark: String(100 + values.length),
    messages: values.map((v, i) => msg(100 + i, v)),
  } as unknown as Batch;
  const parts: BatchLoopParts<string> = {
    decode: async (m) => {
      const v = m.value!.toString();
      if (v.startsWith('bad')) throw Object.assign(new Error(`cannot decode ${v}`), { fault: 'poison' });
      return v;
    },
    apply: async (items) => {
      log.push(`apply ${items.join(',')}`);
      return { applied: items.length, duplicates: 0 };
    },
    sendDeadLetters: async (letters) => {
      dead.push(...letters);
      log.push(`dead ${letters.map((l) => l.message.offset).join(',')}`);
    },
    commit: async (partition, next) => void log.push(`commit ${partition}@${next}`),
    maxChunk: 2,
    retryInBatchMs: 60_000,
    stalls: createStallTracker(undefined, 60_000),
    logger: pino({ level: 'silent' }),
    metrics: consumerMetrics(new Registry()),
    now: Date.now,
    ...overrides,
  };
  const resolved: string[] = [];
  const ctl = {
    isRunning: () => true,
    isStale: () => false,
    heartbeat: async () => undefined,
    resolveOffset: (o: string) => void resolved.push(o),
  };
  return { run: () => processBatch(batch, ctl, parts), log, dead, resolved };
}

describe('processBatch', () => {
  it('applies chunk by chunk and commits the next offset only after each chunk is durable', async () => {
    const h = harness(['a', 'b', 'c']);
    await h.run();
    expect(h.log).toEqual(['apply a,b', 'commit 3@102', 'apply c', 'commit 3@103']);
    expect(h.resolved).toEqual(['101', '102']);
  });

  it('sends a poison record to the dead-letter path with its reason and still applies the records after it', async () => {
    const h = harness(['a', 'bad1', 'c', 'd']);
    await h.run();
    expect(h.log).toEqual(['apply a', 'dead 101', 'commit 3@102', 'apply c,d', 'commit 3@104']);
    expect(h.dead).toHaveLength(1);
    expect(h.dead[0]).toMatchObject({ partition: 3, reason: 'cannot decode bad1' });
  });

  it('takes synchronous decode answers and throws the same way as asynchronous ones', async () => {
    const h = harness(['a', 'bad1', 'c'], {
      decode: (m) => {
        const v = m.value!.toString();
        if (v.startsWith('bad')) throw Object.assign(new Error(`cannot decode ${v}`), { fault: 'poison' });
        return v;
      },
    });
    await h.run();
    expect(h.log).toEqual(['apply a', 'dead 101', 'commit 3@102', 'apply c', 'commit 3@103']);
  });

  it('retries a transient decode failure (registry down) and dead-letters it if it turns out poison', async () => {
    const calls = new Map<string, number>();
    const h = harness(['a', 'b'], {
      decode: (m) => {
        const v = m.value!.toString();
        const n = (calls.get(v) ?? 0) + 1;
        calls.set(v, n);
        if (n === 1) throw new Error('registry unavailable'); // first attempt of each record fails, thrown synchronously
        if (v === 'b') return Promise.reject(Object.assign(new Error('unknown schema id 9'), { fault: 'poison' }));
        return v;
      },
      maxChunk: 10,
    });
    await h.run();
    expect(h.log).toEqual(['apply a', 'dead 101', 'commit 3@102']);
    expect(h.dead[0]).toMatchObject({ reason: 'unknown schema id 9' });
    expect(calls.get('a')).toBe(2);
  });

  it('retries a transient apply failure and does not commit until it succeeds', async () => {
    let failures = 2;
    const h = harness(['a'], {
      apply: async (items) => {
        if (failures-- > 0) throw new Error('connection refused');
        h.log.push(`apply ${items.join(',')}`);
        return { applied: 1, duplicates: 0 };
      },
    });
    await h.run();
    expect(h.log).toEqual(['apply a', 'commit 3@101']);
  });

  it("measures a record's age on the clock it is given (the reference-corrected one), not this host's", async () => {
    const registry = new Registry();
    // The record was appended at 0; the reference clock says 7 s later, whatever Date.now says.
    const h = harness(['a'], { metrics: consumerMetrics(registry), now: () => 7_000 });
    await h.run();
    const age = (await registry.getSingleMetric('pipeline_record_age_seconds')!.get()).values.find((v) =>
      (v as { metricName?: string }).metricName?.endsWith('_sum'),
    );
    expect(age?.value).toBe(7);
  });

  it('never commits when it is stopped while retrying', async () => {
    let running = true;
    const log: string[] = [];
    const batch = { topic: 't', partition: 0, highWatermark: '1', messages: [msg(0, 'a')] } as unknown as Batch;
    const run = processBatch(
      batch,
      { isRunning: () => running, isStale: () => false, heartbeat: async () => undefined, resolveOffset: () => undefined },
      {
        decode: async (m) => m.value!.toString(),
        apply: async () => {
          running = false;
          throw new Error('postgres down');
        },
        sendDeadLetters: async () => undefined,
        commit: async () => void log.push('commit'),
        maxChunk: 10,
        retryInBatchMs: 60_000,
        stalls: createStallTracker(undefined, 60_000),
        logger: pino({ level: 'silent' }),
        metrics: consumerMetrics(new Registry()),
        now: Date.now,
      },
    );
    await expect(run).rejects.toThrow('stop requested while retrying');
    expect(log).toEqual([]);
  });

  it('dead-letters only the record that apply refuses (a Postgres data exception) and applies the rest of its chunk', async () => {
    const h = harness(['a', 'b', 'nul', 'c', 'd', 'e'], {
      maxChunk: 6,
      apply: async (items) => {
        if (items.includes('nul')) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
        h.log.push(`apply ${items.join(',')}`);
        return { applied: items.length, duplicates: 0 };
      },
    });
    await h.run();
    expect(h.log).toEqual(['apply a', 'apply b', 'apply c,d,e', 'dead 102', 'commit 3@106']);
    expect(h.dead).toHaveLength(1);
    expect(h.dead[0]!.reason).toBe('apply refused (22021): invalid byte sequence for encoding "UTF8": 0x00');
    expect(h.resolved).toEqual(['105']);
  });

  it('gives a failing partition back (to be paused alone) after retryInBatchMs, without committing; health turns stuck later', async () => {
    let t = 0;
    const stalls = createStallTracker(undefined, 60_000, () => t);
    const h = harness(['a'], {
      retryInBatchMs: 300,
      stalls,
      apply: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')");
      },
    });
    const err = await h.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartitionBackoffError);
    expect(h.log).toEqual([]);
    expect(h.resolved).toEqual([]);
    await expect(stalls.healthCheck()).resolves.toBeUndefined();
    t = 60_000;
    await expect(stalls.healthCheck()).rejects.toThrow(/^t\[3\] failing for 60 s \(\d+ attempts\): Cannot read properties of undefined/);
    // The next batch succeeds: the stall is over.
    const ok = harness(['a'], { stalls });
    await ok.run();
    await expect(stalls.healthCheck()).resolves.toBeUndefined();
  });
});

describe('processBatch and a bug that throws RangeError for every record', () => {
  it.each(['decode', 'apply'] as const)('in %s: nothing is dead-lettered or committed; the partition is given back', async (step) => {
    const bug = async () => {
      throw new RangeError('Invalid time value');
    };
    const h = harness(['a', 'b', 'c', 'd'], { retryInBatchMs: 200, maxChunk: 4, [step]: bug });
    const err = await h.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartitionBackoffError);
    expect(h.dead).toEqual([]);
    expect(h.log).toEqual([]);
    expect(h.resolved).toEqual([]);
  });
});
