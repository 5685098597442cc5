/** Writes one app entry of the request logs: PocketBase's (slog's) level, message and data. */
export type AppLogWrite = (level: number, message: string, data: Record<string, unknown>) => void;

/**
 * Where app log entries that don't pass through Nest's logger go (the hooks files' `console.*`): the request
 * logs' writer while the ops lib's logs module runs, nowhere otherwise.
 */
export class AppLogSink {
  private static target: AppLogWrite | null = null;

  /** Points the sink at `target` (null: detached). */
  static attach(target: AppLogWrite | null): void {
    AppLogSink.target = target;
  }

  static write(level: number, message: string, data: Record<string, unknown>): void {
    AppLogSink.target?.(level, message, data);
  }
}
