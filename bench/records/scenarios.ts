import { call, type LoadRequest } from './load';
import type { Scenario } from './report';
import type { SeededData } from './seed';

const BASE = '/api/collections/posts/records';

/** The request builder of each scenario; every request runs as `users[0]`. */
export function requestsFor(scenario: Scenario, data: SeededData): (n: number) => LoadRequest {
  const user = data.users[0];
  const auth = { authorization: user.token };
  switch (scenario) {
    case 'list': {
      const query = new URLSearchParams({ filter: `title ~ '${data.filterWord}'`, sort: '-created', perPage: '30' });
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
        body: { title: `bench created ${n}`, views: n % 1000, owner: user.id },
      });
  }
}

interface ListReply {
  totalItems: number;
  items: { id: string; owner: string }[];
}

/**
 * Sends each scenario's first request to both servers and compares the answers, so the baseline is
 * known to do the same work; returns the differences found (empty when they agree).
 */
export async function compareAnswers(nestbasePort: number, baselinePort: number, data: SeededData): Promise<string[]> {
  const problems: string[] = [];
  const listReq = requestsFor('list', data)(0);
  const [a, b] = await Promise.all([call<ListReply>(nestbasePort, listReq), call<ListReply>(baselinePort, listReq)]);
  const ids = (r: ListReply) => r.items.map((i) => i.id).join(',');
  if (a.totalItems !== b.totalItems || ids(a) !== ids(b)) {
    problems.push(
      `list differs: nestbase totalItems=${a.totalItems}, baseline totalItems=${b.totalItems}, same page=${ids(a) === ids(b)}`,
    );
  }
  if (a.items.length !== 30 || a.items.some((i) => i.owner !== data.users[0].id)) {
    problems.push(`list: nestbase returned ${a.items.length} items or items of another owner`);
  }
  const viewReq = requestsFor('view', data)(0);
  const [va, vb] = await Promise.all([call<object>(nestbasePort, viewReq), call<object>(baselinePort, viewReq)]);
  if (JSON.stringify(va) !== JSON.stringify(vb)) {
    problems.push(`view differs: ${JSON.stringify(va)} vs ${JSON.stringify(vb)}`);
  }
  const foreign = { ...viewReq, headers: { authorization: data.users[1].token } };
  try {
    await call(nestbasePort, foreign);
    problems.push("view: nestbase showed users[0]'s post to users[1]");
  } catch {
    // expected: 404 for a record the view rule hides
  }
  return problems;
}
