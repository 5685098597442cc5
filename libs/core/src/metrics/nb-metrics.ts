import { metrics } from './metrics-registry';

/**
 * Every metric nestbase exports (README, "Metrics"). Each process shows the ones it records: the HTTP ones
 * everywhere, realtime ones where realtime runs, jobs where a queue runs, SQLite where the database is open,
 * the PostgreSQL pool where `DATABASE_URL` is PostgreSQL.
 */
export const NB_METRICS = {
  httpDuration: metrics.histogram(
    'nb_http_request_duration_seconds',
    'HTTP requests answered by this process, by method, route template and status.',
    ['method', 'route', 'status'],
  ),
  httpInFlight: metrics.gauge('nb_http_requests_in_flight', 'HTTP requests being answered (SSE streams excluded).'),
  gatewayUpstream: metrics.histogram(
    'nb_gateway_upstream_duration_seconds',
    'Requests the gateway proxied, by service and status (the gateway only).',
    ['service', 'status'],
  ),
  realtimeConnections: metrics.gauge(
    'nb_realtime_connections',
    'Realtime clients connected to this process, by transport (sse, ws).',
    ['transport'],
  ),
  realtimeSubscriptions: metrics.gauge(
    'nb_realtime_subscriptions',
    'Subscriptions (topics) of the realtime clients of this process.',
  ),
  realtimeDelivered: metrics.counter(
    'nb_realtime_events_delivered_total',
    'Record events queued to a realtime client.',
  ),
  realtimeDropped: metrics.counter(
    'nb_realtime_events_dropped_total',
    'Record events not delivered because the client fell too far behind (the client is then closed).',
  ),
  ruleCheck: metrics.histogram(
    'nb_realtime_rule_check_seconds',
    'Checks of a rule or filter for the subscribers of one record event (one batch each).',
    ['kind'],
  ),
  jobsQueued: metrics.gauge('nb_jobs_queued', 'Jobs waiting or delayed, by job name.', ['job']),
  jobsCompleted: metrics.counter('nb_jobs_completed_total', 'Jobs run to success in this process.', ['job']),
  jobsFailed: metrics.counter('nb_jobs_failed_total', 'Job attempts that failed in this process.', ['job']),
  sqliteBusyRetries: metrics.counter(
    'nb_sqlite_busy_retries_total',
    'BEGIN/COMMIT retried after SQLITE_BUSY outlasted the busy timeout.',
  ),
  sqliteCommits: metrics.counter(
    'nb_sqlite_commits_total',
    'SQLite write transactions committed by this process (group commit: several writes each).',
  ),
  sqliteCommittedWrites: metrics.counter(
    'nb_sqlite_committed_writes_total',
    'Writes (record writes, batches, settings…) those transactions held.',
  ),
  dbPoolConnections: metrics
    .gauge('nb_db_pool_connections', 'PostgreSQL pool: connections open (idle or in use).')
    .whileMeasured(),
  dbPoolIdle: metrics.gauge('nb_db_pool_idle', 'PostgreSQL pool: open connections not in use.').whileMeasured(),
  dbPoolWaiting: metrics
    .gauge('nb_db_pool_waiting', 'PostgreSQL pool: queries and transactions waiting for a connection.')
    .whileMeasured(),
  sqliteBusyErrors: metrics.counter(
    'nb_sqlite_busy_errors_total',
    'Requests answered 503 because the database stayed busy.',
  ),
};
