// Hooks files the hooks suites load: written to a temporary pb_hooks directory per test file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { repoRoot } from '@lib/testing';

/** Collections the API hooks act on (fixed names: each test file has its own server). */
export const HOOKED = { todos: 'todos', posts: 'hk_posts', audit: 'hk_audit', notes: 'hk_notes' } as const;

/** Validation, rollback, request, route and after hooks (PocketBase style and tutorial style mixed). */
export const API_HOOKS = `
module.exports = (app) => {
  app.onRecordCreate(async (e) => {
    const title = String(e.record.get('title'));
    if (title.includes('forbidden')) {
      throw new Error('Titles may not say "forbidden".');
    }
    if (title === 'teapot') {
      throw new app.ApiError(418, "I'm a teapot.");
    }
    if (title === 'audit-then-fail') {
      await e.app.save(e.app.newRecord('${HOOKED.audit}', { note: 'written in the hook' }));
      throw new app.BadRequestError('Failed after writing the audit record.');
    }
    if (title === 'uppercase me') {
      e.record.set('title', title.toUpperCase());
    }
    await e.next();
    if (title === 'fail-after-write') {
      throw new Error('Rejected after the write.');
    }
  }, '${HOOKED.posts}');

  app.onRecordBeforeUpdate('${HOOKED.posts}', (e) => {
    if (e.record.original().get('locked') && e.record.get('title') !== e.record.original().get('title')) {
      throw new Error('This post is locked.');
    }
  });

  app.onRecordAfterCreate('${HOOKED.posts}', async (e) => {
    await e.app.save(e.app.newRecord('${HOOKED.audit}', { note: 'created ' + e.record.id }));
  });
  app.onRecordAfterCreate('${HOOKED.notes}', () => {
    throw new Error('after-hook boom');
  });

  app.onRecordsListRequest(async (e) => {
    await e.next();
    e.response.hooked = true;
  }, '${HOOKED.posts}');
  app.onRecordViewRequest(async (e) => {
    await e.next();
    e.response.title = String(e.response.title).toUpperCase();
  }, '${HOOKED.posts}');
  app.onRecordCreateRequest(async (e) => {
    if (e.body.title === 'shortcut') {
      e.json(202, { shortcut: true });
      return;
    }
    e.body.title = String(e.body.title ?? '').trim();
    await e.next();
  }, '${HOOKED.posts}');
  app.onRecordAuthRequest(async (e) => {
    await e.next();
    e.response.meta = { hooked: true, method: e.request.context };
  }, 'users');

  app.routerAdd('GET', '/api/hk/hello/{name}', (e) => {
    e.json(200, { message: 'hello ' + e.request.params.name, user: e.auth.id });
  }, app.requireAuth());
  app.routerAdd('GET', '/api/hk/admin', () => ({ ok: true }), app.requireSuperuserAuth());
  app.routerAdd('POST', '/api/hk/echo', (e) => e.json(201, { got: e.request.body }));
};
`;

/** A fresh pb_hooks directory holding `files` (name → text); the owner example is copied in with `withOwner`. */
export function writeHooksDir(files: Record<string, string>, withOwner = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'nestbase-pb-hooks-'));
  if (withOwner) {
    const example = join(repoRoot(), 'examples', 'pb_hooks', 'owner.pb.js');
    writeFileSync(join(dir, 'owner.pb.js'), readFileSync(example));
  }
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
