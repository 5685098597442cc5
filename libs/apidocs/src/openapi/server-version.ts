import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let version: string | undefined;

/** The `version` of nestbase's package.json (the nearest one above this file named nestbase). */
export function serverVersion(): string {
  if (version === undefined) {
    version = '0.0.0';
    for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'nestbase' && pkg.version) {
          version = pkg.version;
          break;
        }
      }
    }
  }
  return version;
}
