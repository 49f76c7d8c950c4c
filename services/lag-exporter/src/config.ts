import { commonConfig, ownSettings, watchedGroups, type CommonConfig, type WatchedGroup } from '@fan/config';

export interface LagExporterConfig {
  common: CommonConfig;
  /** Every consumer group of the pipeline, with the ids its processes read from these same settings. */
  groups: WatchedGroup[];
  /** /healthz and /metrics. */
  port: number;
  pollIntervalMs: number;
}

/** The only place the lag exporter reads process.env (LAG_EXPORTER_*, and each group's `<PREFIX>_GROUP_ID`). */
export function loadConfig(env: Record<string, string | undefined> = process.env): LagExporterConfig {
  const common = commonConfig(env);
  const e = ownSettings('lag-exporter', env);
  return { common, groups: watchedGroups(common.topicPrefix, env), port: e.LAG_EXPORTER_PORT, pollIntervalMs: e.LAG_EXPORTER_POLL_MS };
}
