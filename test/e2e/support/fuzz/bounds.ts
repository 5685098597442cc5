// What the route fuzzer never sends, so that a run changes nothing but its own data.
import type { FuzzRequest } from './requests';
import type { World } from './world';

/** Superuser writes allowed on a server of the fuzzer's own (collections other than the world's, jobs, logs). */
const OWN_SERVER_WRITES = [
  /^POST \/api\/collections$/,
  /^(PATCH|DELETE) \/api\/collections\/[^/]+(\/truncate)?$/,
  /^POST \/api\/crons\/[^/]+$/,
  /^DELETE \/api\/logs$/,
  /^POST \/api\/settings\/test\/(email|s3)$/,
];

/**
 * `req` as it may be sent. The superuser only reads, writes records of the world's open collection (not the world's
 * own record) and asks for
 * view previews; on a server of its own (`ownServer`) it may also create, change and delete collections other than
 * the world's and the system ones, run crons and truncate the logs. Never, anywhere: settings changes, imports,
 * backups and restores. The realtime stream is never opened (its GET never ends).
 */
export function withinBounds(req: FuzzRequest, world: World, ownServer: boolean): FuzzRequest {
  const path = req.target.split('?')[0];
  const line = `${req.method} ${path}`;
  const collection = decodeSegment(path.split('/')[3] ?? '');
  const worldCollection =
    [world.open, world.locked, world.members, world.view].includes(collection) || collection.startsWith('_');
  const allowed =
    ['GET', 'HEAD', 'OPTIONS'].includes(req.method) ||
    (path.startsWith(`/api/collections/${world.open}/records`) && !path.includes(world.openId)) ||
    line === 'POST /api/collections/meta/view-preview' ||
    (ownServer && !worldCollection && OWN_SERVER_WRITES.some((re) => re.test(line)));
  const auth = req.auth === 'superuser' && !allowed ? 'member' : req.auth;
  const method = path === '/api/realtime' && (req.method === 'GET' || req.method === 'HEAD') ? 'POST' : req.method;
  return { ...req, auth, method };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment).toLowerCase();
  } catch {
    return segment.toLowerCase();
  }
}
