// Settings and the manifest of processes: parsed once at a process's edge from environment
// variables, then passed down. Pure.
export { ConfigError, DEV_SECRETS, bool, int, parseEnv, secret, str } from './parse-env';
export { commonConfig, type CommonConfig, type PgBounds, type RedisBounds } from './common';
export {
  COMMON_SETTINGS,
  CONSUMER_RUNTIME_SETTINGS,
  GENERAL_SETTINGS,
  REGISTRY_SETTINGS,
  SETTINGS_OF_PART,
  type StackPart,
} from './common-settings';
export { consumerProcessConfig, watchedGroups, type ConsumerProcessConfig, type ConsumerSettings, type WatchedGroup } from './consumer';
export {
  PROCESSES,
  announcedReads,
  consumersOf,
  groupShape,
  isConsumer,
  longRunning,
  ownSettings,
  processEntry,
  rebuildOwners,
  rebuildScripts,
  type ConsumerEntry,
  type ConsumerName,
  type GroupEntry,
  type ProcessEntry,
  type ProcessName,
  type ProcessOf,
  type ReadDefaults,
} from './processes';
export { kafkaSecurity, type KafkaSecurity, type SaslMechanism } from './kafka-security';
export { topicsFor, type Topics } from './topics';
export { defaultOf, replaceSettingsTable, settingNames, settingsCatalogue, settingsTable, type SettingRow } from './settings-catalogue';
