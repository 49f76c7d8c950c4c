import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './fresh-registry';
import { waitFor } from './stack';

const ROOT = join(__dirname, '../../..');

export interface OwnBroker {
  brokers: string;
  /** The broker process is alive. */
  running(): boolean;
  /** Starts it again on the same storage (as its supervisor would). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/**
 * A single-node KRaft Kafka of the test's own (the stack's jars, `KAFKA_VERSION`), its log
 * directory in `dir` (e.g. a small filesystem), on free ports; never the stack's broker.
 */
export async function startOwnBroker(dir: string): Promise<OwnBroker> {
  const home = join(ROOT, '.local', `kafka-${process.env.KAFKA_VERSION ?? '4.4.0'}`);
  const cp = `${home}/libs/*`;
  const port = await freePort();
  const controller = await freePort();
  const data = join(dir, 'kafka-data');
  mkdirSync(data, { recursive: true });
  const props = join(dir, 'server.properties');
  writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controller}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${data}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=false',
      '',
    ].join('\n'),
  );
  const id = execFileSync('java', ['-cp', cp, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('java', ['-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', id, '-c', props, '--ignore-formatted'], { stdio: 'ignore' });
  let proc: ChildProcess | undefined;
  const start = async () => {
    const out = openSync(join(dir, 'kafka.log'), 'a');
    proc = spawn('java', ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', '-cp', cp, 'kafka.Kafka', props], { stdio: ['ignore', out, out] });
    await waitFor(`own Kafka broker on ${port}`, async () => (proc?.exitCode === null ? portOpen(port) : undefined), 90_000, 250);
  };
  const running = () => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  await start();
  return {
    brokers: `127.0.0.1:${port}`,
    running,
    start,
    stop: async () => {
      const p = proc;
      if (!p || !running()) return;
      await new Promise<void>((resolve) => {
        p.once('exit', () => resolve());
        p.kill('SIGKILL');
      });
    },
  };
}
