import {
  absent,
  any,
  arrayOfLength,
  editor,
  LOCKED_RULES,
  OPEN_RULES,
  onlyKeys,
  relation,
  runScenarios,
  ScenarioContext,
  text,
} from '@lib/testing';

/** authors(a1) ← posts(p1: author=a1, tags=[t2,t1]) ← comments(c1,c2 → p1); tags(t1,t2). */
async function blog(t: ScenarioContext, authorRules: Record<string, string | null> = OPEN_RULES): Promise<void> {
  const authors = await t.createCollection({ name: 'authors', ...authorRules, fields: [text('name')] });
  const tags = await t.createCollection({ name: 'tags', ...OPEN_RULES, fields: [text('label')] });
  const posts = await t.createCollection({
    name: 'posts',
    ...OPEN_RULES,
    fields: [
      text('title'),
      editor('body'),
      relation('author', authors.id, { maxSelect: 1 }),
      relation('tags', tags.id, { maxSelect: 5 }),
    ],
  });
  await t.createCollection({
    name: 'comments',
    ...OPEN_RULES,
    fields: [text('msg'), relation('post', posts.id, { maxSelect: 1 })],
  });
  t.vars.a1 = (await t.createRecord('authors', { name: 'Ann' })).id;
  t.vars.t1 = (await t.createRecord('tags', { label: 'one' })).id;
  t.vars.t2 = (await t.createRecord('tags', { label: 'two' })).id;
  t.vars.p1 = (
    await t.createRecord('posts', {
      title: 'Hello',
      body: '<p>Hello <b>big</b> world of tests</p>',
      author: t.vars.a1,
      tags: [t.vars.t2, t.vars.t1],
    })
  ).id;
  t.vars.c1 = (await t.createRecord('comments', { msg: 'first', post: t.vars.p1 })).id;
  t.vars.c2 = (await t.createRecord('comments', { msg: 'second', post: t.vars.p1 })).id;
}
const seeded = (t: ScenarioContext): Promise<void> => blog(t);
const post = (q: string) => (t: ScenarioContext) => t.records('posts', t.vars.p1, q);

/** chain: c0 ← c1 ← … ← c7, each level's `r` points at the previous level; returns the c7 record id. */
async function chain(t: ScenarioContext): Promise<void> {
  let prevId = '';
  let prevCollection = '';
  for (let level = 0; level <= 7; level++) {
    const fields = [text('n'), ...(prevCollection ? [relation('r', prevCollection, { maxSelect: 1 })] : [])];
    const c = await t.createCollection({ name: `c${level}`, ...OPEN_RULES, fields });
    prevId = (await t.createRecord(`c${level}`, { n: `L${level}`, ...(prevId ? { r: prevId } : {}) })).id;
    prevCollection = c.id;
  }
  t.vars.top = prevId;
}

runScenarios('expand', [
  {
    name: 'single relation → object',
    method: 'GET',
    url: post('?expand=author'),
    before: seeded,
    expectStatus: 200,
    expectBody: (t) => ({
      author: t.vars.a1,
      expand: { author: { id: t.vars.a1, name: 'Ann', collectionName: t.col('authors') } },
    }),
  },
  {
    name: 'multiple relation → array in stored order',
    method: 'GET',
    url: post('?expand=tags'),
    before: seeded,
    expectStatus: 200,
    expectBody: { expand: { tags: [{ label: 'two' }, { label: 'one' }] } },
  },
  {
    name: 'several paths at once',
    method: 'GET',
    url: post('?expand=author,tags'),
    before: seeded,
    expectStatus: 200,
    expectBody: { expand: { author: { name: 'Ann' }, tags: arrayOfLength(2) } },
  },
  {
    name: 'back-relation → array',
    method: 'GET',
    url: (t) => t.records('posts', t.vars.p1, `?expand=${t.col('comments')}_via_post`),
    before: seeded,
    expectStatus: 200,
    expectContains: ['"first"', '"second"'],
    expectBody: (t) => ({ expand: { [`${t.col('comments')}_via_post`]: arrayOfLength(2) } }),
  },
  {
    name: 'back-relation with a unique index → object',
    method: 'GET',
    url: (t) => t.records('posts', t.vars.p1, `?expand=${t.col('profiles')}_via_post`),
    before: async (t) => {
      await blog(t);
      await t.createCollection({
        name: 'profiles',
        ...OPEN_RULES,
        fields: [text('bio'), relation('post', t.id('posts'), { maxSelect: 1 })],
        indexes: [`CREATE UNIQUE INDEX idx_pp_${t.suffix} ON x (post)`],
      });
      await t.createRecord('profiles', { bio: 'solo', post: t.vars.p1 });
    },
    expectStatus: 200,
    expectBody: (t) => ({ expand: { [`${t.col('profiles')}_via_post`]: { bio: 'solo' } } }),
  },
  {
    name: 'nested: comment → post → author',
    method: 'GET',
    url: (t) => t.records('comments', t.vars.c1, '?expand=post.author'),
    before: seeded,
    expectStatus: 200,
    expectBody: { expand: { post: { title: 'Hello', expand: { author: { name: 'Ann' } } } } },
  },
  {
    name: 'empty relation → expand is {}',
    method: 'GET',
    url: (t) => t.records('posts', t.vars.p2, '?expand=author'),
    before: async (t) => {
      await blog(t);
      t.vars.p2 = (await t.createRecord('posts', { title: 'lonely' })).id;
    },
    expectStatus: 200,
    expectBody: { expand: {} },
  },
  {
    name: 'unknown expand path is ignored',
    method: 'GET',
    url: post('?expand=nope'),
    before: seeded,
    expectStatus: 200,
    expectBody: { title: 'Hello' },
  },
  {
    name: 'no expand param → no expand key',
    method: 'GET',
    url: post(''),
    before: seeded,
    expectStatus: 200,
    expectBody: { expand: absent() },
  },
  {
    name: 'not viewable (null viewRule) → dropped for a guest',
    method: 'GET',
    url: post('?expand=author'),
    before: (t) => blog(t, { ...OPEN_RULES, viewRule: null }),
    expectStatus: 200,
    expectBody: { author: any(String), expand: { author: absent() } },
  },
  {
    name: 'not viewable → still expanded for the superuser',
    method: 'GET',
    url: post('?expand=author'),
    auth: 'superuser',
    before: (t) => blog(t, LOCKED_RULES),
    expectStatus: 200,
    expectBody: { expand: { author: { name: 'Ann' } } },
  },
  {
    name: 'viewRule expression not matching → dropped',
    method: 'GET',
    url: post('?expand=author'),
    before: (t) => blog(t, { ...OPEN_RULES, viewRule: 'name = "Bob"' }),
    expectStatus: 200,
    expectBody: { expand: { author: absent() } },
  },
  {
    name: 'expand on list items',
    method: 'GET',
    url: (t) => t.records('comments', undefined, '?sort=msg&expand=post'),
    before: seeded,
    expectStatus: 200,
    expectBody: {
      items: [
        { msg: 'first', expand: { post: { title: 'Hello' } } },
        { msg: 'second', expand: { post: { title: 'Hello' } } },
      ],
    },
  },
  {
    name: 'expand on create',
    method: 'POST',
    url: (t) => t.records('comments', undefined, '?expand=post'),
    body: (t) => ({ msg: 'new', post: t.vars.p1 }),
    before: seeded,
    expectStatus: 200,
    expectBody: { expand: { post: { title: 'Hello' } } },
  },
  {
    name: 'expand on update',
    method: 'PATCH',
    url: post('?expand=tags'),
    body: (t) => ({ tags: [t.vars.t1] }),
    before: seeded,
    expectStatus: 200,
    expectBody: { expand: { tags: [{ label: 'one' }] } },
  },
  {
    name: '6 nested levels are expanded',
    method: 'GET',
    url: (t) => t.records('c7', t.vars.top, '?expand=r.r.r.r.r.r'),
    before: chain,
    expectStatus: 200,
    expectBody: {
      n: 'L7',
      expand: {
        r: {
          n: 'L6',
          expand: {
            r: { expand: { r: { expand: { r: { expand: { r: { n: 'L2', expand: { r: { n: 'L1' } } } } } } } } },
          },
        },
      },
    },
  },
  {
    name: 'a 7th level is a 400 with the error envelope',
    method: 'GET',
    url: (t) => t.records('c7', t.vars.top, '?expand=r.r.r.r.r.r.r'),
    before: chain,
    expectStatus: 400,
    expectBody: { status: 400, message: any(String), data: {} },
    expectNotContains: ['"L0"', '"L1"'],
  },
]);

runScenarios('fields', [
  {
    name: 'top-level fields only',
    method: 'GET',
    url: post('?fields=id,title'),
    before: seeded,
    expectStatus: 200,
    expectBody: onlyKeys(['id', 'title']),
  },
  {
    name: '* keeps every key',
    method: 'GET',
    url: post('?fields=*'),
    before: seeded,
    expectStatus: 200,
    expectBody: onlyKeys(['collectionId', 'collectionName', 'id', 'title', 'body', 'author', 'tags']),
  },
  {
    name: 'nested path into expand',
    method: 'GET',
    url: post('?expand=author&fields=title,expand.author.name'),
    before: seeded,
    expectStatus: 200,
    expectBody: { title: 'Hello', id: absent(), expand: { author: onlyKeys(['name']) } },
  },
  {
    name: '* plus a nested expand path',
    method: 'GET',
    url: post('?expand=author&fields=*,expand.author.name'),
    before: seeded,
    expectStatus: 200,
    expectBody: { id: any(String), title: 'Hello', expand: { author: onlyKeys(['name']) } },
  },
  {
    name: ':excerpt strips html and truncates',
    method: 'GET',
    url: post(`?fields=${encodeURIComponent('body:excerpt(9)')}`),
    before: seeded,
    expectStatus: 200,
    expectBody: { body: 'Hello big' },
  },
  {
    name: ':excerpt with ellipsis',
    method: 'GET',
    url: post(`?fields=${encodeURIComponent('body:excerpt(9,true)')}`),
    before: seeded,
    expectStatus: 200,
    expectBody: { body: 'Hello big...' },
  },
  {
    name: 'fields on a list applies per item',
    method: 'GET',
    url: (t) => t.records('comments', undefined, '?sort=msg&fields=msg'),
    before: seeded,
    expectStatus: 200,
    expectBody: { page: 1, totalItems: 2, items: [onlyKeys(['msg']), onlyKeys(['msg'])] },
  },
  {
    name: 'unknown fields are simply absent',
    method: 'GET',
    url: post('?fields=title,nope'),
    before: seeded,
    expectStatus: 200,
    expectBody: onlyKeys(['title']),
  },
  {
    name: 'fields never applies to errors',
    method: 'GET',
    url: (t) => t.records('posts', 'missingmissing1', '?fields=id'),
    before: seeded,
    expectStatus: 404,
    expectBody: { status: 404, message: any(String), data: {} },
  },
]);
