// Collections with every field type, as the OpenAPI and typegen tests need them: a base collection with each
// field type (single and multiple select/relation/file), an auth collection with extra fields, and a view.
import {
  autodate,
  bool,
  date,
  editor,
  email,
  file,
  geoPoint,
  HttpClient,
  json,
  num,
  relation,
  select,
  text,
  uniqueSuffix,
  url,
} from '@lib/testing';

export interface FixtureNames {
  base: string;
  auth: string;
  view: string;
}

async function create(http: HttpClient, token: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await http.request('POST', '/api/collections', { token, body });
  if (res.status !== 200) {
    throw new Error(`creating collection ${String(body.name)} gave ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return res.json<{ id: string }>();
}

/** Creates the three collections (names with a fresh suffix) through the API as a superuser. */
export async function createEveryFieldType(http: HttpClient, token: string, prefix = 'oa'): Promise<FixtureNames> {
  const suffix = uniqueSuffix(6);
  const names = {
    base: `${prefix}_posts_${suffix}`,
    auth: `${prefix}_members_${suffix}`,
    view: `${prefix}_v_${suffix}`,
  };
  const members = await create(http, token, {
    name: names.auth,
    type: 'auth',
    listRule: '@request.auth.id != ""',
    viewRule: 'id = @request.auth.id',
    createRule: '',
    fields: [text('nickname', { max: 40 }), file('avatar', { maxSelect: 1 }), num('karma', { onlyInt: true })],
  });
  await create(http, token, {
    name: names.base,
    type: 'base',
    listRule: '',
    viewRule: '',
    createRule: '@request.auth.id != ""',
    updateRule: 'author = @request.auth.id',
    deleteRule: null,
    fields: [
      text('title', { required: true, max: 120 }),
      num('score', { min: 0, max: 10 }),
      bool('published'),
      email('contact'),
      url('homepage'),
      editor('body'),
      date('due'),
      select('status', ['draft', 'published']),
      select('labels', ['a', 'b', 'c'], { maxSelect: 3 }),
      json('meta'),
      relation('author', members.id, { maxSelect: 1 }),
      relation('reviewers', members.id, { maxSelect: 5 }),
      file('cover', { maxSelect: 1 }),
      file('attachments', { maxSelect: 4, protected: true }),
      geoPoint('place'),
      text('secret', { hidden: true }),
      autodate('created', { onCreate: true, onUpdate: false }),
      autodate('updated', { onCreate: true, onUpdate: true }),
    ],
  });
  await create(http, token, {
    name: names.view,
    type: 'view',
    listRule: '',
    viewRule: '',
    viewQuery: `SELECT id, title, score, author FROM ${names.base}`,
  });
  return names;
}
