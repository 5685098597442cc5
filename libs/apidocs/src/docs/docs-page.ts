/** The key under which the dashboard's SDK keeps the superuser sign-in (apps/dashboard/src/pb.ts). */
export const DASHBOARD_AUTH_KEY = '__nb_superuser_auth__';

/** The viewer page's CSP: scripts and styles from this origin only (Swagger UI sets inline styles). */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
<p id="nb-docs-hint" style="font: 14px sans-serif; margin: 12px 20px">
The document is for superusers unless the <code>openapi.public</code> setting is on: sign in to the
<a href="/_/">dashboard</a> first, or open <code>/api/docs#token=&lt;superuser token&gt;</code>.
</p>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

/**
 * Starts Swagger UI on /api/openapi.json. The token (a `#token=` in the URL, else the dashboard's stored sign-in)
 * goes with the document fetch and with "Try it out" requests, unless the user authorizes another one.
 */
export const DOCS_INIT_JS = `'use strict';
(function () {
  var token = '';
  var hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('token')) {
    token = hash.get('token');
    history.replaceState(null, '', location.pathname + location.search);
  } else {
    try {
      var stored = JSON.parse(localStorage.getItem('${DASHBOARD_AUTH_KEY}') || 'null');
      token = (stored && typeof stored.token === 'string') ? stored.token : '';
    } catch (e) {
      token = '';
    }
  }
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    requestInterceptor: function (request) {
      if (token && !request.headers.Authorization) {
        request.headers.Authorization = token;
      }
      return request;
    },
    onComplete: function () {
      var hint = document.getElementById('nb-docs-hint');
      if (hint) {
        hint.remove();
      }
    },
  });
})();
`;
