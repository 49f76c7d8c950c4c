/**
 * patches/kafkajs+2.2.4+001+lost-acknowledgements.patch (the same bug as tulios/kafkajs#1303, fix
 * proposed in PR #1798, never released): upstream's send loop remembered one response per broker
 * and, on a retry, sent only to brokers without one. When a partition's leader moved to a broker
 * that had already answered for other partitions, that partition's messages were never sent again
 * and send() resolved: acknowledged messages lost. Here, the leader moves between retries on a
 * fake cluster (no network, no root): every message must reach the broker that leads its
 * partition, exactly once.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Msg = { key: string; value: string };
type TopicData = Array<{ topic: string; partitions: Array<{ partition: number; messages: Msg[] }> }>;
const createSendMessages = require('kafkajs/src/producer/sendMessages') as (
  o: unknown,
) => (a: {
  acks: number;
  timeout: number;
  topicMessages: Array<{ topic: string; messages: Msg[] }>;
}) => Promise<Array<{ topicName: string; partition: number }>>;
const createRetry = require('kafkajs/src/retry') as (o: unknown) => unknown;
const { KafkaJSProtocolError } = require('kafkajs/src/errors') as { KafkaJSProtocolError: new (e: unknown) => Error };
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => unknown };

const NOT_LEADER_FOR_PARTITION = 6;
const silent = { namespace: () => silent, debug() {}, info() {}, warn() {}, error() {} };

function fakeCluster() {
  // Partition 0 led by broker 1, partition 1 by broker 2; after the first failure, broker 1 leads both.
  let leaders: Record<number, number> = { 0: 1, 1: 2 };
  const received: Array<{ broker: number; partition: number; values: string[] }> = [];
  let broker2Failures = 1;
  const broker = (nodeId: number) => ({
    nodeId,
    produce: async ({ topicData }: { topicData: TopicData }) => {
      if (nodeId === 2 && broker2Failures-- > 0) throw new KafkaJSProtocolError(createErrorFromCode(NOT_LEADER_FOR_PARTITION));
      for (const t of topicData)
        for (const p of t.partitions) received.push({ broker: nodeId, partition: p.partition, values: p.messages.map((m) => m.value) });
      return {
        topics: topicData.map((t) => ({
          topicName: t.topic,
          partitions: t.partitions.map((p) => ({ partition: p.partition, errorCode: 0 })),
        })),
      };
    },
  });
  const brokers = { 1: broker(1), 2: broker(2) } as Record<number, ReturnType<typeof broker>>;
  const cluster = {
    received,
    isConnected: () => true,
    addMultipleTargetTopics: async () => undefined,
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => {
      leaders = { 0: 1, 1: 1 };
    },
    findTopicPartitionMetadata: () => [0, 1].map((p) => ({ partitionId: p, leader: leaders[p] })),
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const out: Record<number, number[]> = {};
      for (const p of partitions.map(Number)) (out[leaders[p]!] ??= []).push(p);
      return out;
    },
    findBroker: async ({ nodeId }: { nodeId: number }) => brokers[nodeId],
    removeBroker: () => undefined,
  };
  return cluster;
}

const eosManager = {
  isTransactional: () => false,
  acquireBrokerLock: async () => undefined,
  releaseBrokerLock: async () => undefined,
  getSequence: () => 0,
  updateSequence: () => undefined,
  getProducerId: () => -1,
  getProducerEpoch: () => 0,
};

describe('kafkajs send loop when a partition leader moves between retries', () => {
  it('sends the moved partition to its new leader, which already answered for another partition', async () => {
    const cluster = fakeCluster();
    const send = createSendMessages({
      logger: silent,
      cluster,
      eosManager,
      retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }),
      // Keys "0" and "1" to partitions 0 and 1.
      partitioner: ({ message }: { message: Msg }) => Number(message.key),
    });
    const answers = await send({
      acks: -1,
      timeout: 1000,
      topicMessages: [
        {
          topic: 't',
          messages: [
            { key: '0', value: 'a' },
            { key: '1', value: 'b' },
            { key: '0', value: 'c' },
            { key: '1', value: 'd' },
          ],
        },
      ],
    });
    // Upstream: [{ broker 1, partition 0 }] only — b and d acknowledged by send() but never written.
    expect(cluster.received).toEqual([
      { broker: 1, partition: 0, values: ['a', 'c'] },
      { broker: 1, partition: 1, values: ['b', 'd'] },
    ]);
    expect(answers.map((a) => [a.topicName, a.partition]).sort()).toEqual([
      ['t', 0],
      ['t', 1],
    ]);
  });
});

// A module, not a script: its names stay its own.
export {};
