import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsvmHttp } from './jsvm-http';
import { isJsvmSource } from './jsvm-loader';
import { $filepath } from './jsvm-filepath';
import { $security } from './jsvm-security';
import { $template } from './jsvm-template';

void describe('isJsvmSource', () => {
  const cases: [string, string, boolean][] = [
    ['top-level routerAdd', 'routerAdd("GET", "/x", (e) => e.json(200, {}))', true],
    ['a hook call after a comment', '// hi\nonRecordCreateRequest((e) => e.next(), "posts")', true],
    ['$app only', 'cronAdd("a", "@daily", () => $app.countRecords("x"))', true],
    ['a Node module', 'module.exports = (app) => { app.onRecordCreate((e) => e.next()) }', false],
    ['an ES module', 'export default (app) => { app.routerAdd("GET", "/x", () => 1) }', false],
    ['a call in a string only', 'const s = "routerAdd(";', false],
    ['a method named like a hook', 'app.onRecordCreate(fn)', false],
  ];
  for (const [name, source, expected] of cases) {
    void it(name, () => assert.equal(isJsvmSource(source), expected));
  }
});

void describe('$security', () => {
  void it('encrypts and decrypts with a 32-character key; a wrong key fails', () => {
    const key = 'k'.repeat(32);
    const sealed = $security.encrypt('secret text', key);
    assert.equal($security.decrypt(sealed, key), 'secret text');
    assert.throws(() => $security.decrypt(sealed, 'x'.repeat(32)));
    assert.throws(() => $security.encrypt('x', 'short'), /32 characters/);
  });

  void it('signs and verifies HS256 JWTs; a tampered or expired one is refused', () => {
    const token = $security.createJWT({ sub: 'u1' }, 'key', 60);
    assert.equal($security.parseJWT(token, 'key').sub, 'u1');
    assert.equal($security.parseUnverifiedJWT(token).sub, 'u1');
    assert.throws(() => $security.parseJWT(token, 'other'), /signature/);
    assert.throws(() => $security.parseJWT($security.createJWT({}, 'key', -10), 'key'), /expired/);
  });

  void it('hashes and compares', () => {
    assert.equal($security.sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal($security.equal('a', 'a'), true);
    assert.equal($security.equal('a', 'b'), false);
    assert.match($security.randomStringWithAlphabet(12, 'ab'), /^[ab]{12}$/);
  });
});

void describe('$template', () => {
  const render = (text: string, data: unknown, ...more: string[]) => $template.loadString(text, ...more).render(data);
  void it('escapes values, leaves raw ones, walks conditions and lists', () => {
    assert.equal(render('<p>{{.a.b}}</p>', { a: { b: '<x>' } }), '<p>&lt;x&gt;</p>');
    assert.equal(render('{{raw .html}}', { html: '<b>ok</b>' }), '<b>ok</b>');
    assert.equal(render('{{if .on}}yes{{else}}no{{end}}', { on: false }), 'no');
    assert.equal(render('{{range .xs}}[{{.}}]{{end}}', { xs: [1, 2] }), '[1][2]');
    assert.equal(render('{{with .u}}{{.name}}{{end}}', { u: { name: 'ann' } }), 'ann');
    assert.equal(render('a  {{- /* note */ -}}  b', {}), 'ab');
  });

  void it('fills a layout with the blocks other sources define', () => {
    const page = render('<main>{{template "body" .}}</main>', { t: 'hi' }, '{{define "body"}}<h1>{{.t}}</h1>{{end}}');
    assert.equal(page, '<main><h1>hi</h1></main>');
    assert.throws(() => render('{{if .x}}open', {}), /missing \{\{end\}\}/);
  });
});

void describe('$http.send without the await rewrite', () => {
  void it('answers synchronously (a child process asks); a failure is thrown with its cause', () => {
    assert.throws(() => jsvmHttp(false).send({ url: 'http://127.0.0.1:1/', timeout: 5 }), /^Error: \$http\.send: /);
  });
});

void describe('$security.randomStringByRegex', () => {
  void it('makes strings the pattern matches; anchors are refused as in PocketBase', () => {
    for (const pattern of ['[a-z]{5}-\\d{3}(x|yz)', 'pb_[A-Z0-9_]{4,8}', '(?:ab|[^a-z]){2}\\w+', 'a.c?']) {
      for (let i = 0; i < 50; i++) {
        const made = $security.randomStringByRegex(pattern);
        assert.match(made, new RegExp(`^(?:${pattern})$`), `${pattern} → ${made}`);
      }
    }
    assert.throws(() => $security.randomStringByRegex('^abc'), /unsupported/);
    assert.throws(() => $security.randomStringByRegex('(ab'), /missing closing/);
  });
});

void describe('$filepath', () => {
  void it("gives Go's answers", () => {
    const cases: [unknown, unknown][] = [
      [$filepath.base(''), '.'],
      [$filepath.base('/a/b/'), 'b'],
      [$filepath.base('/'), '/'],
      [$filepath.dir('a'), '.'],
      [$filepath.dir('/a/b/c'), '/a/b'],
      [$filepath.ext('.bashrc'), '.bashrc'],
      [$filepath.ext('a.b/c'), ''],
      [$filepath.clean(''), '.'],
      [$filepath.clean('a/../..'), '..'],
      [$filepath.clean('/../a/'), '/a'],
      [$filepath.join('', ''), ''],
      [$filepath.join('a', '', '../b'), 'b'],
      [$filepath.rel('a/b', 'a/b'), '.'],
      [$filepath.rel('../a', '../b'), '../b'],
      [$filepath.rel('/a', '/b/c'), '../b/c'],
      [$filepath.split('a/b'), ['a/', 'b']],
      [$filepath.match('[a-c]?.js', 'bx.js'), true],
      [$filepath.match('[^a-c]*', 'abc'), false],
      [$filepath.match('\\*', '*'), true],
    ];
    cases.forEach(([got, want], i) => assert.deepEqual(got, want, `case ${i}`));
    assert.equal($filepath.rel('a', '../b'), '../../b');
    assert.throws(() => $filepath.rel('..', 'a'), /can't make/);
    assert.throws(() => $filepath.rel('/a', 'b'), /can't make/);
    assert.throws(() => $filepath.match('[a', 'a'), /syntax error/);
  });
});
