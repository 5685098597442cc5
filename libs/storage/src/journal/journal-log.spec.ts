import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { waitFor } from '@lib/testing';
import { LocalFileStorage } from '../local/local-file-storage';
import { JournalLogs, openNotes } from './journal-log';

const entry = (recordId: string) => ({ collectionId: 'c1', recordId, files: [`${recordId}_a.txt`] });

void describe('JournalLogs (local storage)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nb-journal-log-'));
  const root = path.join(dir, 'storage');
  const storage = new LocalFileStorage(root);
  const journalDir = path.join(root, '.upload-journal');
  const logFiles = () => readdirSync(journalDir).filter((name) => name.endsWith('.log'));
  const text = (name: string) => readFileSync(path.join(journalDir, name), 'utf8');
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it('notes go to one log as lines; the notes without an end are what a sweep finds', async () => {
    let now = 1_700_000_000_000;
    const logs = new JournalLogs(() => now, 60_000);
    const handles = ['r1', 'r2', 'r3'].map((id) => logs.note(storage, entry(id)));
    assert.ok(handles.every((h) => h !== null && JournalLogs.isLogNote(h)));
    assert.equal(logFiles().length, 1, 'one log for the three notes');
    logs.ended([handles[0]!, handles[2]!]);
    const open = openNotes(text(logFiles()[0]));
    assert.deepEqual(
      open.map((n) => [n.at, n.entry?.recordId]),
      [[now, 'r2']],
    );

    // past rotateMs the next note opens another log; the first goes once its last note ended
    now += 60_000;
    const next = logs.note(storage, entry('r4'));
    assert.equal(logFiles().length, 2);
    logs.ended([handles[1]!, next!]);
    await waitFor(() => logFiles().length === 1, 'the rotated log whose notes all ended to be deleted');
    assert.ok(logs.owns(`.upload-journal/${logFiles()[0]}`), 'the current log stays while it may take notes');
    await logs.close();
    assert.deepEqual(logFiles(), [], 'closed with every note ended: no log left');
  });

  void it('a log removed from outside takes no note: the note goes to a new one', async () => {
    const logs = new JournalLogs(() => Date.now(), 60_000);
    const first = logs.note(storage, entry('r5'));
    logs.ended([first!]);
    const [name] = logFiles();
    unlinkSync(path.join(journalDir, name));
    const second = logs.note(storage, entry('r6'));
    assert.ok(second && !second.startsWith(`.upload-journal/${name}`));
    assert.equal(openNotes(text(logFiles()[0]))[0].entry?.recordId, 'r6');
    await logs.close();
    assert.equal(logFiles().length, 1, 'a log with a note that never ended is left for the sweep');
  });

  void it('a line cut short is a note without entry; end lines may come from a sweep', () => {
    const cut = '+1 5 {"collectionId":"c1","recordId":"r1","files":[]}\n+2 6 {"collec';
    assert.deepEqual(
      openNotes(cut).map((n) => [n.n, n.entry === null]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.deepEqual(openNotes(`${cut}\n-2\n\n-1\n`), []);
  });
});
