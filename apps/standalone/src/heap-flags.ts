import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by main.ts, before the app is loaded: V8's young generation stays at its initial size instead of
 * doubling up to 16 MB a semi-space under load (issue 16). The server's allocations are per-request and short-lived,
 * so scavenges of the small space stay cheap; idle RSS drops by ~20 MB (the main thread and every worker thread: the
 * flag is process-wide). `node --semi-space-growth-factor=2 …` on the command line wins over it.
 */
if (!process.execArgv.some((a) => a.startsWith('--semi-space-growth-factor') || a.startsWith('--max-semi-space'))) {
  setFlagsFromString('--semi-space-growth-factor=1');
}
