/**
 * One dependency `GET /readyz` checks (the database, Redis, S3, an upstream service). A provider class:
 * each lib exports its check, the app module lists the checks of its dependencies in `ProbesModule.forRoot`.
 */
export abstract class ReadinessCheck {
  /** The key of the check in `/readyz`'s details (`database`, `redis`, …). */
  abstract readonly name: string;
  /** Resolves when the dependency answers; throws (with a message for the details) when it doesn't. */
  abstract check(): Promise<void>;
  /** False when the dependency isn't used by this process (no `REDIS_URL`): the check is left out. */
  enabled(): boolean {
    return true;
  }
}
