// Settings: parsed once at a process's edge from environment variables, then passed down. Pure.
export { ConfigError, DEV_SECRETS, bool, int, parseEnv, secret, str } from './parse-env';
export { commonConfig, type CommonConfig, type PgBounds, type RedisBounds } from './common';
export { consumerProcessConfig, type ConsumerDefaults, type ConsumerProcessConfig, type ConsumerSettings } from './consumer';
export {
  CONSUMER_GROUPS,
  consumerGroup,
  groupSettings,
  watchedGroups,
  type ConsumerGroupIdentity,
  type ConsumerGroupService,
  type WatchedGroup,
} from './groups';
export { kafkaSecurity, type KafkaSecurity, type SaslMechanism } from './kafka-security';
export { topicsFor, type Topics } from './topics';
