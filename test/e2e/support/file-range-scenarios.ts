// Multi-range requests: answered as Go's http.ServeContent does (multipart/byteranges).
import assert from 'node:assert/strict';

import { Scenario } from '@lib/testing';

import { docWithImage, fetchRaw, fileUrl, FileMode } from './file-helpers';

/** The parts of a multipart/byteranges body: their Content-Range and bytes. */
function byteRangeParts(body: Buffer, contentType: string): { range: string; bytes: Buffer }[] {
  const boundary = /boundary=(\S+)/.exec(contentType)?.[1] ?? '';
  const raw = body.toString('latin1');
  assert.ok(raw.endsWith(`\r\n--${boundary}--\r\n`), 'closing boundary');
  return raw
    .slice(0, -`\r\n--${boundary}--\r\n`.length)
    .split(new RegExp(`(?:^|\\r\\n)--${boundary}\\r\\n`))
    .filter((part) => part !== '')
    .map((part) => {
      const [head, data] = [part.slice(0, part.indexOf('\r\n\r\n')), part.slice(part.indexOf('\r\n\r\n') + 4)];
      assert.match(head, /Content-Type: image\/png/);
      return { range: /Content-Range: (.+)/.exec(head)?.[1] ?? '', bytes: Buffer.from(data, 'latin1') };
    });
}

export function rangeScenarios(mode: FileMode): Scenario[] {
  return [
    {
      name: 'Range: bytes=0-3, 10-19 → 206 multipart/byteranges with both parts, exact length',
      method: 'GET',
      url: (t) => fileUrl(t, t.vars.one),
      before: (t) => docWithImage(t, mode).then(() => undefined),
      expectStatus: 200,
      after: async (t) => {
        const png = t.data as Buffer;
        const got = await fetchRaw(t, fileUrl(t, t.vars.one), { range: 'bytes=0-3, 10-19' });
        assert.equal(got.status, 206);
        const type = got.headers.get('content-type') ?? '';
        assert.match(type, /^multipart\/byteranges; boundary=/);
        assert.equal(Number(got.headers.get('content-length')), got.bytes.length);
        assert.deepEqual(byteRangeParts(got.bytes, type), [
          { range: `bytes 0-3/${png.length}`, bytes: png.subarray(0, 4) },
          { range: `bytes 10-19/${png.length}`, bytes: png.subarray(10, 20) },
        ]);
      },
    },
    {
      name: 'ranges adding up to more than the file → 200 with the whole file',
      method: 'GET',
      url: (t) => fileUrl(t, t.vars.one),
      before: (t) => docWithImage(t, mode).then(() => undefined),
      expectStatus: 200,
      after: async (t) => {
        const png = t.data as Buffer;
        const got = await fetchRaw(t, fileUrl(t, t.vars.one), { range: `bytes=0-${png.length - 1},0-` });
        assert.equal(got.status, 200);
        assert.ok(got.bytes.equals(png));
      },
    },
  ];
}
