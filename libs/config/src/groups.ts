import { bool, parseEnv, str } from './parse-env';
import { topicsFor, type Topics } from './topics';

type Env = Record<string, string | undefined>;

/**
 * Who each consumer group is: the services' configs, the lag exporter (which watches these groups
 * from the broker's side) and the manifests' tests all read this one list, so a new group cannot
 * be left unwatched. How a group reads (batches, fetch sizes) stays in its service's config.
 */
export interface ConsumerGroupIdentity {
  /** The service folder, also the process's name in logs and metrics. */
  service: string;
  /** Prefix of the group's settings (`<PREFIX>_GROUP_ID`, `<PREFIX>_HEALTH_PORT`, …). */
  envPrefix: string;
  groupId: string;
  healthPort: number;
  topic: keyof Topics;
  /** Where a new group starts; also where the lag exporter counts from when nothing is committed. */
  fromBeginning: boolean;
}

export const CONSUMER_GROUPS = [
  { service: 'raw-sink', envPrefix: 'RAW_SINK', groupId: 'raw-sink', healthPort: 9101, topic: 'events', fromBeginning: true },
  {
    service: 'income-aggregator',
    envPrefix: 'INCOME_AGG',
    groupId: 'income-aggregator',
    healthPort: 9102,
    topic: 'events',
    fromBeginning: true,
  },
  {
    service: 'asset-aggregator',
    envPrefix: 'ASSET_AGG',
    groupId: 'asset-aggregator',
    healthPort: 9103,
    topic: 'events',
    fromBeginning: true,
  },
  {
    service: 'cache-invalidator',
    envPrefix: 'INVALIDATOR',
    groupId: 'cache-invalidator',
    healthPort: 9104,
    topic: 'changes',
    fromBeginning: false,
  },
  {
    service: 'presence-aggregator',
    envPrefix: 'PRESENCE_AGG',
    groupId: 'presence-aggregator',
    healthPort: 9105,
    topic: 'activity',
    fromBeginning: true,
  },
] as const satisfies readonly ConsumerGroupIdentity[];

export type ConsumerGroupService = (typeof CONSUMER_GROUPS)[number]['service'];

export function consumerGroup(service: ConsumerGroupService): ConsumerGroupIdentity {
  return CONSUMER_GROUPS.find((g) => g.service === service)!;
}

/** A group as it runs with these settings: its id and start position as its process reads them. */
export interface WatchedGroup {
  service: string;
  groupId: string;
  topic: string;
  fromBeginning: boolean;
}

/** `<PREFIX>_GROUP_ID` and `<PREFIX>_FROM_BEGINNING`, parsed the same way for the consumer and its watchers. */
export function groupSettings(g: ConsumerGroupIdentity, env: Env): { groupId: string; fromBeginning: boolean } {
  const e = parseEnv(
    { [`${g.envPrefix}_GROUP_ID`]: str(g.groupId), [`${g.envPrefix}_FROM_BEGINNING`]: bool(g.fromBeginning) },
    env,
  ) as Record<string, string | boolean>;
  return { groupId: e[`${g.envPrefix}_GROUP_ID`] as string, fromBeginning: e[`${g.envPrefix}_FROM_BEGINNING`] as boolean };
}

/** Every consumer group of the pipeline with the ids and topics these settings give them. */
export function watchedGroups(topicPrefix: string, env: Env = process.env): WatchedGroup[] {
  const topics = topicsFor(topicPrefix);
  return CONSUMER_GROUPS.map((g) => ({ service: g.service, topic: topics[g.topic], ...groupSettings(g, env) }));
}
