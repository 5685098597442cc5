// SqliteLogRepository.insertInBackground on a real auxiliary.db: small batches are written before the call
// returns (no writer thread for an idle server); while another connection holds the file's write lock the
// batch is not waited for on the calling thread but handed to the writer thread, which writes it once the lock
// is released; later batches keep their order.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import BetterSqlite3 from 'better-sqlite3';

import type { LogEntry } from '../log-entry';
import { SqliteLogRepository } from './sqlite-log.repository';

const entry = (id: string): LogEntry => ({ id, level: 0, message: id, data: {}, created: `2026-01-01 00:00:00.${id}` });

void describe('SqliteLogRepository.insertInBackground', () => {
  let dir = '';
  let logs: SqliteLogRepository;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestbase-logs-'));
    logs = new SqliteLogRepository(dir, 10_000);
  });

  after(async () => {
    await logs?.stopWriter();
    await logs?.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('writes a small batch before returning', async () => {
    const done = logs.insertInBackground([entry('001'), entry('002')]);
    // read at once on another connection, before anything else runs on this thread
    const reader = new BetterSqlite3(join(dir, 'auxiliary.db'), { readonly: true });
    assert.deepEqual(reader.prepare('SELECT COUNT(*) AS "n" FROM "_logs"').get(), { n: 2 });
    reader.close();
    await done;
    assert.equal(await logs.count(null), 2);
  });

  void it('hands a batch to the writer thread while the file is locked, without waiting here', async () => {
    const holder = new BetterSqlite3(join(dir, 'auxiliary.db'));
    holder.prepare('BEGIN IMMEDIATE').run();
    let written = false;
    const done = logs.insertInBackground([entry('003')]).then(() => (written = true));
    assert.equal(written, false);
    holder.prepare('COMMIT').run();
    holder.close();
    await done;
    await logs.insertInBackground([entry('004')]);
    const ids = (await logs.list(null, null, 10, 0)).map((e) => e.id);
    assert.deepEqual(ids, ['004', '003', '002', '001']);
  });

  void it('writes every column of what the thread takes as given (data as its JSON)', async () => {
    const given: LogEntry = {
      id: '005',
      created: '2026-12-03 12:00:00.000Z',
      level: 8,
      message: 'POST /api/x "q"',
      data: { type: 'request', status: 400, nested: { a: [1, 'b'] }, skipped: undefined },
    };
    await logs.insertInBackground([given]);
    assert.deepEqual(await logs.findById('005'), {
      ...given,
      data: { type: 'request', status: 400, nested: { a: [1, 'b'] } },
    });
  });
});
