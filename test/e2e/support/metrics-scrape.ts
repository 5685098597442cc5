// Reading a process's `GET /metrics` (Prometheus text) in tests: one sample's value, or the sum of a family's
// samples whose labels include the given ones.
import assert from 'node:assert/strict';

export interface Scrape {
  status: number;
  contentType: string;
  text: string;
}

export async function scrape(baseUrl: string, token?: string): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The text of a 200 scrape (fails the test otherwise). */
export async function metricsText(baseUrl: string, token?: string): Promise<string> {
  const got = await scrape(baseUrl, token);
  assert.equal(got.status, 200, `GET ${baseUrl}/metrics: ${got.status} ${got.text.slice(0, 300)}`);
  return got.text;
}

/** Sum of the samples named `name` whose labels contain every pair of `labels` (0 when none). */
export function sampleSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) {
      continue;
    }
    const labelPart = line[name.length] === '{' ? line.slice(name.length + 1, line.lastIndexOf('}')) : '';
    if (Object.entries(labels).every(([k, v]) => labelPart.includes(`${k}="${v}"`))) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

/** `sampleSum` over several processes' scrapes. */
export async function sumOver(
  urls: string[],
  token: string | undefined,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const texts = await Promise.all(urls.map((url) => metricsText(url, token)));
  return texts.reduce((total, text) => total + sampleSum(text, name, labels), 0);
}
