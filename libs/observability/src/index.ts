// Logs, metrics, health, progress lines and shutdown: the public surface of every process.
export { createLogger, type Logger } from './logger';
export { dependencyGauge, runChecks, startHealthServer, type HealthCheck } from './health-server';
export { consumerMetrics, createMetricsRegistry, type ConsumerMetrics } from './consumer-metrics';
export { exitOnFatal, onShutdown } from './shutdown';
export { formatBytes, formatCount } from './progress';
export { startProgress, type ProgressReporter } from './progress-output';
