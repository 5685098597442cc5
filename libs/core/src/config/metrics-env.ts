type Env = Record<string, string | undefined>;

/** `GET /metrics` on each process (`NB_METRICS`, default on) and the bearer token it requires (`NB_METRICS_TOKEN`). */
export interface MetricsConfig {
  readonly enabled: boolean;
  /** '' : no token asked (keep the port private then). */
  readonly token: string;
}

export function metricsFromEnv(env: Env, problems: string[]): MetricsConfig {
  const raw = (env.NB_METRICS ?? '').toLowerCase();
  if (raw !== '' && !['1', '0', 'true', 'false'].includes(raw)) {
    problems.push(`NB_METRICS must be true or false, got "${env.NB_METRICS}"`);
  }
  const token = env.NB_METRICS_TOKEN ?? '';
  if (token !== '' && !/^[\x21-\x7e]{16,}$/.test(token)) {
    problems.push('NB_METRICS_TOKEN must be at least 16 printable characters without spaces');
  }
  return { enabled: raw !== '0' && raw !== 'false', token };
}
