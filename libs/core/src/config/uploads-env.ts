type Env = Record<string, string | undefined>;

/**
 * The upload journal's sweep (libs/storage): notes of interrupted writes older than `journalGraceMs`
 * (`NB_UPLOAD_JOURNAL_GRACE_MS`, 1 h) are settled at start and every `sweepIntervalMs`
 * (`NB_UPLOAD_SWEEP_INTERVAL_MS`, 5 min; 0: no automatic sweep).
 */
export interface UploadsConfig {
  readonly journalGraceMs: number;
  readonly sweepIntervalMs: number;
}

export function uploadsFromEnv(
  env: Env,
  parseInt: (env: Env, key: string, fallback: number, min: number, max: number, problems: string[]) => number,
  problems: string[],
): UploadsConfig {
  const day = 86_400_000;
  return {
    journalGraceMs: parseInt(env, 'NB_UPLOAD_JOURNAL_GRACE_MS', 3_600_000, 0, 30 * day, problems),
    sweepIntervalMs: parseInt(env, 'NB_UPLOAD_SWEEP_INTERVAL_MS', 300_000, 0, day, problems),
  };
}
