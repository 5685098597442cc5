import * as fs from 'node:fs';
import { text } from './text';

// `$template`: the part of Go's html/template that hooks use to render pages — `{{.a.b}}` (HTML-escaped),
// `{{raw .html}}`, `{{if}}/{{else}}`, `{{range}}`, `{{with}}`, `{{define "n"}}`, `{{template "n" .}}`,
// `{{block "n" .}}`, `{{/* comments */}}` and `{{-`/`-}}` trimming.

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; expr: string }
  | { kind: 'if' | 'range' | 'with'; expr: string; body: Node[]; otherwise: Node[] }
  | { kind: 'template'; name: string; expr: string };

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[ch] ?? ch);

function parse(source: string, defines: Map<string, Node[]>): Node[] {
  const root: Node[] = [];
  const stack: {
    nodes: Node[];
    node?: Node & { body: Node[]; otherwise: Node[] };
    define?: string;
    inElse?: boolean;
  }[] = [{ nodes: root }];
  const action = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  const top = () => stack[stack.length - 1];
  for (let m = action.exec(source); m; m = action.exec(source)) {
    let text = source.slice(last, m.index);
    text = trimNext ? text.trimStart() : text;
    text = m[1] ? text.trimEnd() : text;
    if (text) {
      top().nodes.push({ kind: 'text', text });
    }
    last = action.lastIndex;
    trimNext = m[3] === '-';
    const body = m[2];
    const [word, ...rest] = body.split(/\s+/);
    const arg = rest.join(' ');
    if (body.startsWith('/*')) {
      continue;
    }
    if (word === 'if' || word === 'range' || word === 'with') {
      const node = { kind: word, expr: arg, body: [], otherwise: [] } as Node & { body: Node[]; otherwise: Node[] };
      top().nodes.push(node);
      stack.push({ nodes: node.body, node });
    } else if (word === 'else') {
      const frame = top();
      if (!frame.node) {
        throw new Error('template: {{else}} outside if/range/with');
      }
      frame.nodes = frame.node.otherwise;
    } else if (word === 'end') {
      const frame = stack.pop();
      if (!frame || stack.length === 0) {
        throw new Error('template: unexpected {{end}}');
      }
      if (frame.define) {
        defines.set(frame.define, frame.nodes);
      }
    } else if (word === 'define' || word === 'block') {
      const name = /^"([^"]*)"\s*(.*)$/.exec(arg);
      if (!name) {
        throw new Error(`template: {{${word}}} needs a quoted name`);
      }
      if (word === 'block') {
        top().nodes.push({ kind: 'template', name: name[1], expr: name[2] || '.' });
      }
      stack.push({ nodes: [], define: name[1] });
    } else if (word === 'template') {
      const name = /^"([^"]*)"\s*(.*)$/.exec(arg);
      top().nodes.push({ kind: 'template', name: name?.[1] ?? '', expr: name?.[2] || '.' });
    } else {
      top().nodes.push({ kind: 'value', expr: body });
    }
  }
  if (stack.length > 1) {
    throw new Error('template: missing {{end}}');
  }
  const tail = source.slice(last);
  if (tail) {
    root.push({ kind: 'text', text: trimNext ? tail.trimStart() : tail });
  }
  return root;
}

function lookup(expr: string, dot: unknown): unknown {
  const e = expr.trim();
  if (e === '.' || e === '') {
    return dot;
  }
  if (/^".*"$/.test(e)) {
    return JSON.parse(e) as unknown;
  }
  if (/^-?\d+(\.\d+)?$/.test(e)) {
    return Number(e);
  }
  let value = dot;
  for (const key of e.replace(/^\./, '').split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

const truthy = (v: unknown) =>
  Array.isArray(v) ? v.length > 0 : v && typeof v === 'object' ? Object.keys(v).length > 0 : Boolean(v);

function render(nodes: Node[], dot: unknown, defines: Map<string, Node[]>, depth = 0): string {
  if (depth > 100) {
    throw new Error('template: too deep');
  }
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') {
      out += n.text;
    } else if (n.kind === 'value') {
      const raw = /^raw\s+(.*)$/.exec(n.expr);
      const value = lookup(raw ? raw[1] : n.expr, dot);
      out += raw ? text(value) : escape(text(value));
    } else if (n.kind === 'template') {
      out += render(defines.get(n.name) ?? [], lookup(n.expr, dot), defines, depth + 1);
    } else {
      const value = lookup(n.expr, dot);
      if (n.kind === 'range' && truthy(value)) {
        const items = Array.isArray(value) ? value : Object.values(value as object);
        out += items.map((item) => render(n.body, item, defines, depth + 1)).join('');
      } else if (n.kind !== 'range' && truthy(value)) {
        out += render(n.body, n.kind === 'with' ? value : dot, defines, depth + 1);
      } else {
        out += render(n.otherwise, dot, defines, depth + 1);
      }
    }
  }
  return out;
}

/** One loaded template set: the first source is the page, the others add `{{define}}`s. */
function renderer(sources: string[]) {
  const defines = new Map<string, Node[]>();
  const trees = sources.map((s) => parse(s, defines));
  return { render: (data: unknown) => render(trees[0] ?? [], data, defines) };
}

/** PocketBase's `$template`: `loadFiles(...paths).render(data)`, `loadString(text).render(data)`. */
export const $template = {
  loadFiles: (...files: string[]) => renderer(files.map((f) => fs.readFileSync(f, 'utf8'))),
  loadString: (...texts: string[]) => renderer(texts),
};
