import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AVRO_SCHEMAS, EVENT_TYPES } from '@fan/schemas';
import { stackEnv, uniqueName, type TestPipeline } from '@fan/test-support';
import { startJvm, type RunningJvm } from './jvm';

const DIR = join(__dirname, 'kafka-connect');
const ROOT = join(__dirname, '../..');

/** Copies the two Connect plugins (Debezium's JDBC sink, Apicurio's converter) from Maven Central once. */
export function buildConnectPlugins(): void {
  if (existsSync(join(DIR, 'target/plugins/jdbc-sink')) && existsSync(join(DIR, 'target/plugins/converter'))) return;
  const r = spawnSync('mvn', ['-q', '-B', 'package'], { cwd: DIR, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building ${DIR} failed (mvn exited ${r.status})`);
}

const SQL_TYPE: Record<string, string> = { long: 'bigint', int: 'integer', string: 'text', boolean: 'boolean', double: 'double precision' };

/**
 * The sink's table, created ahead as a Connect user with one topic of seven record types would: the
 * sink's own schema evolution cannot add a type's required fields to a table another type created
 * ("not optional but has no default value"), so every flattened field is a nullable column and
 * `event_id` the primary key the upsert needs. Column types follow the Avro schemas.
 */
export function connectTableDdl(table: string): string {
  const columns = new Map<string, string>([['event_id', 'text PRIMARY KEY']]);
  for (const type of EVENT_TYPES)
    for (const f of AVRO_SCHEMAS[type].fields as Array<{ name: string; type: unknown }>) {
      const t = f.type as unknown;
      if (typeof t === 'object' && t !== null && (t as { type?: string }).type === 'record')
        for (const g of (t as { fields: Array<{ name: string; type: unknown }> }).fields)
          columns.set(`${f.name}_${g.name}`, sqlType(g.type));
      else if (!columns.has(f.name)) columns.set(f.name, sqlType(t));
    }
  columns.set('kafka_partition', 'integer').set('kafka_offset', 'bigint');
  return `CREATE TABLE ${table} (${[...columns].map(([c, t]) => `${c} ${t}`).join(', ')})`;
}

function sqlType(avro: unknown): string {
  const name = Array.isArray(avro) ? avro.find((x) => x !== 'null') : avro;
  const t = SQL_TYPE[String(name)];
  if (!t) throw new Error(`no column type for Avro ${JSON.stringify(avro)}`);
  return t;
}

export interface ConnectSettings {
  brokers: string;
  /** The registry's own (v2) API, e.g. http://127.0.0.1:8081/apis/registry/v2: the converter's client speaks it. */
  registryV2Url: string;
  topic: string;
  /** Postgres, as JDBC wants it: jdbc:postgresql://host:port/db */
  jdbcUrl: string;
  table: string;
  /** Connect's consumer group is connect-<name>: a fresh name reads the topic from its start. */
  name: string;
  tasks: number;
}

export type RunningConnect = RunningJvm;

/**
 * A Connect worker in standalone mode (the Kafka distribution's own connect-runtime) with one JDBC
 * sink: every record of `topic`, its Avro value decoded through the registry and flattened
 * (`properties.amount` → `properties_amount`, as the JDBC sink takes no nested structs), the record's
 * partition and offset added, upserted by `event_id` into `table` (made beforehand by connectTableDdl).
 */
export function startConnect(s: ConnectSettings): RunningConnect {
  const work = mkdtempSync(join(tmpdir(), 'connect-'));
  const worker = join(work, 'worker.properties');
  const connector = join(work, 'connector.properties');
  const lines = (o: Record<string, string | number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n';
  writeFileSync(
    worker,
    lines({
      'bootstrap.servers': s.brokers,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.apicurio.registry.utils.converter.AvroConverter',
      'value.converter.apicurio.registry.url': s.registryV2Url,
      // Our producers write the Confluent framing (magic 0, 4-byte id), no headers; the ccompat ids are content ids.
      'value.converter.apicurio.registry.as-confluent': 'true',
      'value.converter.apicurio.registry.use-id': 'contentId',
      'value.converter.apicurio.registry.headers.enabled': 'false',
      'offset.storage.file.filename': join(work, 'offsets'),
      'plugin.path': join(DIR, 'target/plugins'),
      listeners: 'http://127.0.0.1:0',
      // The sink writes what one poll returns in one transaction: 500 records a poll (the default) would cut its batches short.
      'consumer.max.poll.records': 2000,
      'offset.flush.interval.ms': 1000,
    }),
  );
  writeFileSync(
    connector,
    lines({
      name: s.name,
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      'tasks.max': s.tasks,
      topics: s.topic,
      // pgjdbc sends a batch of INSERTs as one multi-row statement only when asked to.
      'connection.url': `${s.jdbcUrl}${s.jdbcUrl.includes('?') ? '&' : '?'}reWriteBatchedInserts=true`,
      'connection.username': 'postgres',
      'connection.password': '',
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_value',
      'primary.key.fields': 'event_id',
      'schema.evolution': 'none',
      'table.name.format': s.table,
      'batch.size': 2000,
      'use.time.zone': 'UTC',
      transforms: 'flatten,position',
      'transforms.flatten.type': 'org.apache.kafka.connect.transforms.Flatten$Value',
      'transforms.flatten.delimiter': '_',
      'transforms.position.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.position.partition.field': 'kafka_partition',
      'transforms.position.offset.field': 'kafka_offset',
    }),
  );
  writeFileSync(
    join(work, 'log4j2.properties'),
    [
      'rootLogger.level=WARN',
      'rootLogger.appenderRef.stderr.ref=STDERR',
      'appender.stderr.type=Console',
      'appender.stderr.name=STDERR',
      'appender.stderr.target=SYSTEM_ERR',
      'appender.stderr.layout.type=PatternLayout',
      'appender.stderr.layout.pattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  return startJvm(
    [
      `-Dlog4j2.configurationFile=${join(work, 'log4j2.properties')}`,
      '-cp',
      `${join(ROOT, '.local/kafka/libs')}/*`,
      'org.apache.kafka.connect.cli.ConnectStandalone',
      worker,
      connector,
    ],
    work,
  );
}

/** The sink over a test pipeline's events topic into `table` of its database, 2 tasks (one per core), a fresh group. */
export function startConnectOn(p: TestPipeline, table: string): RunningConnect {
  return startConnect({
    brokers: stackEnv().KAFKA_BROKERS,
    registryV2Url: stackEnv().SCHEMA_REGISTRY_URL.replace(/\/apis\/ccompat\/v7$/, '/apis/registry/v2'),
    topic: p.topics.topics.events,
    jdbcUrl: `jdbc:postgresql://127.0.0.1:5432${new URL(p.db.url).pathname}`,
    table,
    name: uniqueName('peer-connect'),
    tasks: 2,
  });
}
