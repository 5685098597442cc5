import { call, type LoadRequest } from './load';
import type { Scenario } from './report';
import type { SeededData } from './seed';

const BASE = '/api/collections/todos/records';
const LIST = { perPage: '30', sort: '-created', filter: 'completed=false' };

/** The request builder of each scenario; every request runs as `users[0]`. */
export function requestsFor(scenario: Scenario, data: SeededData): (n: number) => LoadRequest {
  const user = data.users[0];
  const auth = { authorization: user.token };
  switch (scenario) {
    case 'list':
    case 'list-skip': {
      const query = new URLSearchParams(scenario === 'list' ? LIST : { ...LIST, skipTotal: '1' });
      const req: LoadRequest = { method: 'GET', path: `${BASE}?${query.toString()}`, headers: auth };
      return () => req;
    }
    case 'view':
      return (n) => ({ method: 'GET', path: `${BASE}/${data.viewIds[n % data.viewIds.length]}`, headers: auth });
    case 'create':
      return (n) => ({
        method: 'POST',
        path: BASE,
        headers: auth,
        body: { title: `bench created ${n}`, completed: n % 2 === 0, owner: user.id },
      });
    case 'refresh': {
      const req: LoadRequest = { method: 'POST', path: '/api/collections/users/auth-refresh', headers: auth };
      return () => req;
    }
  }
}

interface ListReply {
  totalItems: number;
  items: { id: string; owner: string; completed: boolean }[];
}

/**
 * Sends each scenario's first request to both servers and compares the answers, so the baseline is
 * known to do the same work; returns the differences found (empty when they agree).
 */
export async function compareAnswers(nestbasePort: number, baselinePort: number, data: SeededData): Promise<string[]> {
  const problems: string[] = [];
  for (const scenario of ['list', 'list-skip'] as const) {
    const req = requestsFor(scenario, data)(0);
    const [a, b] = await Promise.all([call<ListReply>(nestbasePort, req), call<ListReply>(baselinePort, req)]);
    const ids = (r: ListReply) => r.items.map((i) => i.id).join(',');
    if (a.totalItems !== b.totalItems || ids(a) !== ids(b)) {
      problems.push(
        `${scenario} differs: nestbase totalItems=${a.totalItems}, baseline totalItems=${b.totalItems}, same page=${ids(a) === ids(b)}`,
      );
    }
    if (a.items.length !== 30 || a.items.some((i) => i.owner !== data.users[0].id || i.completed)) {
      problems.push(`${scenario}: nestbase returned ${a.items.length} items, or completed ones, or another owner's`);
    }
  }
  const viewReq = requestsFor('view', data)(0);
  const [va, vb] = await Promise.all([call<object>(nestbasePort, viewReq), call<object>(baselinePort, viewReq)]);
  if (JSON.stringify(va) !== JSON.stringify(vb)) {
    problems.push(`view differs: ${JSON.stringify(va)} vs ${JSON.stringify(vb)}`);
  }
  const foreign = { ...viewReq, headers: { authorization: data.users[1].token } };
  try {
    await call(nestbasePort, foreign);
    problems.push("view: nestbase showed users[0]'s todo to users[1]");
  } catch {
    // expected: 404 for a record the view rule hides
  }
  const refresh = requestsFor('refresh', data)(0);
  const [ra, rb] = await Promise.all([
    call<{ record: object }>(nestbasePort, refresh),
    call<{ record: object }>(baselinePort, refresh),
  ]);
  if (JSON.stringify(ra.record) !== JSON.stringify(rb.record)) {
    problems.push(`refresh differs: ${JSON.stringify(ra.record)} vs ${JSON.stringify(rb.record)}`);
  }
  return problems;
}
