/**
 * An environment variable as hook files read it (`$os.getenv(name)` of PocketBase-style hooks): empty when unset.
 * Hooks are the operator's own code, so they see the whole environment, as PocketBase's do.
 */
export function hookEnv(name: string): string {
  return process.env[name] ?? '';
}
