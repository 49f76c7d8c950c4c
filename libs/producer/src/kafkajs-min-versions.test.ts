/**
 * patches/kafkajs+2.2.4+003+broker-minimum-versions.patch: kafkajs picks min(its highest version,
 * the broker's highest) for each API and never looked at the broker's lowest, so a broker that
 * removed every version kafkajs implements of an API got requests it cannot parse. Now such a
 * broker is refused at connect, naming the API and both version ranges.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Versions = Record<number, { minVersion: number; maxVersion: number }>;
const { lookup, requests, unsupportedApiVersions } = require('kafkajs/src/protocol/requests') as {
  lookup: (v: Versions) => (apiKey: number, definition: unknown) => unknown;
  requests: Record<string, { versions: string[] }>;
  unsupportedApiVersions: (v: Versions) => string[];
};
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
const Broker = require('kafkajs/src/broker') as new (o: unknown) => { connect(): Promise<void>; apiVersions(): Promise<Versions> };

const highest = (api: string) => Math.max(...requests[api]!.versions.map(Number));
/** What a broker offers when every API kafkajs implements is offered from v0 to kafkajs's highest. */
function offeredUpToKafkajs(): Versions {
  const v: Versions = {};
  for (const [name, def] of Object.entries(requests))
    if (def.versions.length > 0) v[apiKeys[name]!] = { minVersion: 0, maxVersion: highest(name) };
  return v;
}

const silent = { namespace: () => silent, debug() {}, info() {}, warn() {}, error() {} };
function brokerOffering(versions: Versions) {
  const connection = { getSupportAuthenticationProtocol: () => true, authenticate: async () => undefined };
  const pool = {
    connectionTimeout: 1000,
    host: 'broker.test',
    port: 9092,
    sasl: undefined,
    isConnected: () => false,
    getConnection: async () => connection,
    setVersions: jest.fn(),
  };
  const broker = new Broker({ connectionPool: pool, logger: silent });
  broker.apiVersions = async () => versions;
  return { broker, pool };
}

describe('kafkajs refuses a broker that removed the versions it implements', () => {
  it('takes a broker whose ranges overlap kafkajs (as 3.9 and 4.x do)', async () => {
    expect(unsupportedApiVersions(offeredUpToKafkajs())).toEqual([]);
    const { broker, pool } = brokerOffering(offeredUpToKafkajs());
    await broker.connect();
    expect(pool.setVersions).toHaveBeenCalledTimes(1);
  });

  it('fails at connect naming each API and both ranges, non-retriable', async () => {
    const v = offeredUpToKafkajs();
    const produce = highest('Produce');
    const fetch = highest('Fetch');
    v[apiKeys.Produce!] = { minVersion: produce + 1, maxVersion: produce + 5 };
    v[apiKeys.Fetch!] = { minVersion: fetch + 2, maxVersion: fetch + 4 };
    expect(unsupportedApiVersions(v)).toEqual([
      `Produce (key 0): server v${produce + 1}-v${produce + 5}, kafkajs v0-v${produce}`,
      `Fetch (key 1): server v${fetch + 2}-v${fetch + 4}, kafkajs v0-v${fetch}`,
    ]);
    const { broker, pool } = brokerOffering(v);
    const err = (await broker.connect().catch((e: unknown) => e)) as Error & { retriable: boolean };
    expect([err.name, err.retriable, err.message]).toEqual([
      'KafkaJSNonRetriableError',
      false,
      `The Kafka server removed protocol versions kafkajs needs: Produce (key 0): server v${produce + 1}-v${produce + 5}, kafkajs v0-v${produce}; ` +
        `Fetch (key 1): server v${fetch + 2}-v${fetch + 4}, kafkajs v0-v${fetch}`,
    ]);
    expect(pool.setVersions).not.toHaveBeenCalled();
  });

  it('refuses a request whose every implemented version is below the broker minimum, by name', () => {
    const v = offeredUpToKafkajs();
    const join = highest('JoinGroup');
    v[apiKeys.JoinGroup!] = { minVersion: join + 1, maxVersion: join + 3 };
    expect(() => lookup(v)(apiKeys.JoinGroup!, requests.JoinGroup)).toThrow(
      `The Kafka server removed the versions of JoinGroup kafkajs implements (server v${join + 1}-v${join + 3}, kafkajs up to v${join})`,
    );
    // Overlapping: the best common version, as before.
    v[apiKeys.JoinGroup!] = { minVersion: join, maxVersion: join + 3 };
    expect(() => lookup(v)(apiKeys.JoinGroup!, requests.JoinGroup)).not.toThrow();
  });
});

// A module, not a script: its names stay its own.
export {};
