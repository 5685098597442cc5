'use strict';
// The image's HEALTHCHECK (the slim image has no curl): exits 0 when GET /readyz answers 200 within the
// timeout, 1 otherwise. The address is NB_HTTP's port on the loopback (the image listens on 0.0.0.0:8090);
// `node docker/healthcheck.js http://host:port/path` checks another URL.
const http = require('node:http');

// Below the HEALTHCHECK's --timeout, so a hung request is reported here rather than killed.
const TIMEOUT_MS = 3000;

function target(argv, env) {
  if (argv[2]) {
    return new URL(argv[2]);
  }
  const match = /^(.*):(\d{1,5})$/.exec(env.NB_HTTP || '0.0.0.0:8090');
  const host = !match || ['', '0.0.0.0', '::', '[::]'].includes(match[1]) ? '127.0.0.1' : match[1];
  return new URL(`http://${host}:${match ? match[2] : '8090'}/readyz`);
}

const url = target(process.argv, process.env);
const request = http.get(url, { timeout: TIMEOUT_MS }, (res) => {
  res.resume();
  if (res.statusCode !== 200) {
    process.stderr.write(`healthcheck ${url.href}: ${res.statusCode}\n`);
  }
  process.exit(res.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', (error) => {
  process.stderr.write(`healthcheck ${url.href}: ${error.message}\n`);
  process.exit(1);
});
