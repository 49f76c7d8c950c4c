import type { KafkaMessage } from 'kafkajs';
import { deadLetterLabel } from './reason';

const message = (headers: Record<string, string | Buffer | undefined>): KafkaMessage =>
  ({ key: null, value: Buffer.from('x'), timestamp: '0', attributes: 0, offset: '0', size: 0, headers }) as unknown as KafkaMessage;

describe('deadLetterLabel', () => {
  it('labels a dead letter by origin topic and the class of its reason', () => {
    expect(
      deadLetterLabel(
        message({
          'dlq.reason': Buffer.from('invalid event: star_id must be positive'),
          'dlq.origin.topic': Buffer.from('dashboard.events'),
        }),
      ),
    ).toEqual({ origin: 'dashboard.events', reason: 'invalid event' });
    expect(
      deadLetterLabel(message({ 'dlq.reason': 'apply refused (22003): bigint out of range', 'dlq.origin.topic': 'd.events' })),
    ).toEqual({
      origin: 'd.events',
      reason: 'apply refused (22003)',
    });
  });

  it('bounds the reason at 60 characters and counts a record without headers as unknown', () => {
    expect(deadLetterLabel(message({ 'dlq.reason': 'x'.repeat(500) })).reason).toHaveLength(60);
    expect(deadLetterLabel(message({}))).toEqual({ origin: 'unknown', reason: 'unknown' });
    expect(deadLetterLabel(message({ 'dlq.reason': ': nothing before the colon' })).reason).toBe('unknown');
  });
});
