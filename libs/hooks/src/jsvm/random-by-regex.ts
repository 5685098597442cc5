import { randomInt } from 'node:crypto';

/** A parsed pattern: literal text, a character class (code point pairs), alternation, concatenation, repetition. */
type Node =
  | { op: 'lit'; text: string }
  | { op: 'class'; pairs: number[] }
  | { op: 'alt' | 'cat'; subs: Node[] }
  | { op: 'rep'; sub: Node; min: number; max: number };

/** As PocketBase: `*`, `+` and open `{n,}` repeat at most 6 times; `.` is a letter or digit. */
const MAX_REPEAT = 6;
const ALNUM = [65, 90, 97, 122, 48, 57];
const PRINTABLE = [32, 126];
const ESCAPES: Record<string, number[]> = {
  d: [48, 57],
  w: [48, 57, 65, 90, 95, 95, 97, 122],
  s: [9, 10, 12, 13, 32, 32],
};

/** The printable ASCII code points outside `pairs` (a negated class), as pairs. */
function complement(pairs: number[]): number[] {
  const out: number[] = [];
  for (let c = PRINTABLE[0]; c <= PRINTABLE[1]; c++) {
    let inside = false;
    for (let i = 0; i < pairs.length; i += 2) {
      inside ||= c >= pairs[i] && c <= pairs[i + 1];
    }
    if (!inside) {
      out.push(c, c);
    }
  }
  return out;
}

class Parser {
  private at = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.src.length) {
      throw new Error(`error parsing regexp: unexpected ${this.src[this.at]} in \`${this.src}\``);
    }
    return node;
  }

  private alternation(): Node {
    const subs = [this.concat()];
    while (this.src[this.at] === '|') {
      this.at++;
      subs.push(this.concat());
    }
    return subs.length === 1 ? subs[0] : { op: 'alt', subs };
  }

  private concat(): Node {
    const subs: Node[] = [];
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      subs.push(this.quantified(this.atom()));
    }
    return { op: 'cat', subs };
  }

  private quantified(atom: Node): Node {
    let node = atom;
    for (;;) {
      const ch = this.src[this.at];
      const braces = ch === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at)) : null;
      if (ch === '?' || ch === '*' || ch === '+') {
        this.at++;
        node = { op: 'rep', sub: node, min: ch === '+' ? 1 : 0, max: ch === '?' ? 1 : -1 };
      } else if (braces) {
        this.at += braces[0].length;
        const min = Number(braces[1]);
        node = { op: 'rep', sub: node, min, max: braces[2] ? (braces[3] ? Number(braces[3]) : -1) : min };
      } else {
        return node;
      }
      if (this.src[this.at] === '?') {
        this.at++; // lazy: the same strings
      }
    }
  }

  private atom(): Node {
    const ch = this.src[this.at++];
    switch (ch) {
      case '(': {
        const named = /^\?(P?<\w+>|:)/.exec(this.src.slice(this.at));
        this.at += named ? named[0].length : 0;
        const inner = this.alternation();
        if (this.src[this.at++] !== ')') {
          throw new Error(`error parsing regexp: missing closing ): \`${this.src}\``);
        }
        return inner;
      }
      case '[':
        return this.charClass();
      case '.':
        return { op: 'class', pairs: ALNUM };
      case '\\':
        return this.escape();
      case '^':
      case '$':
        throw new Error(`unsupported pattern operator (${ch})`);
      default:
        return { op: 'lit', text: ch };
    }
  }

  private escape(): Node {
    const ch = this.src[this.at++];
    if (ch === undefined) {
      throw new Error('error parsing regexp: trailing backslash at end of expression');
    }
    const lower = ch.toLowerCase();
    if (ESCAPES[lower]) {
      return { op: 'class', pairs: ch === lower ? ESCAPES[lower] : complement(ESCAPES[lower]) };
    }
    return { op: 'lit', text: ch };
  }

  private charClass(): Node {
    const negated = this.src[this.at] === '^';
    this.at += negated ? 1 : 0;
    const pairs: number[] = [];
    let first = true;
    while (this.src[this.at] !== ']' || first) {
      first = false;
      let ch = this.src[this.at++];
      if (ch === undefined) {
        throw new Error(`error parsing regexp: missing closing ]: \`${this.src}\``);
      }
      if (ch === '\\') {
        const esc = this.src[this.at++] ?? '';
        if (ESCAPES[esc]) {
          pairs.push(...ESCAPES[esc]);
          continue;
        }
        ch = esc;
      }
      const lo = ch.codePointAt(0) ?? 0;
      if (this.src[this.at] === '-' && this.src[this.at + 1] !== ']' && this.src[this.at + 1] !== undefined) {
        const hi = this.src[this.at + 1] === '\\' ? this.src[this.at + 2] : this.src[this.at + 1];
        this.at += this.src[this.at + 1] === '\\' ? 3 : 2;
        pairs.push(lo, hi.codePointAt(0) ?? lo);
      } else {
        pairs.push(lo, lo);
      }
    }
    this.at++;
    return { op: 'class', pairs: negated ? complement(pairs) : pairs };
  }
}

function pick(pairs: number[]): string {
  let total = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    total += pairs[i + 1] - pairs[i] + 1;
  }
  let n = randomInt(total);
  for (let i = 0; i < pairs.length; i += 2) {
    const size = pairs[i + 1] - pairs[i] + 1;
    if (n < size) {
      return String.fromCodePoint(pairs[i] + n);
    }
    n -= size;
  }
  return '';
}

function write(node: Node): string {
  switch (node.op) {
    case 'lit':
      return node.text;
    case 'class':
      return pick(node.pairs);
    case 'alt':
      return write(node.subs[randomInt(node.subs.length)]);
    case 'cat':
      return node.subs.map(write).join('');
    case 'rep': {
      const max = Math.max(node.max < 0 ? MAX_REPEAT : node.max, node.min);
      const n = node.min + (max > node.min ? randomInt(max - node.min) : 0);
      return Array.from({ length: n }, () => write(node.sub)).join('');
    }
  }
}

/** PocketBase's `$security.randomStringByRegex(pattern)`: a random string the pattern matches (no anchors). */
export function randomStringByRegex(pattern: string): string {
  return write(new Parser(pattern).parse());
}
