/**
 * The "database unavailable" page (SPEC 16): status 503 with Retry-After, in both UI languages,
 * styled inline (no script, nothing to load from a server that cannot answer). Served by proxy.ts
 * for dashboard pages while the database cannot be reached.
 */

export const UNAVAILABLE_RETRY_AFTER = 30;

export function unavailablePageHtml(): string {
  return `<!doctype html>
<html lang="uk">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>База даних недоступна · Database unavailable · UTM Dispatcher</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f8fafc; color: #1e293b;
    font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 32rem; margin: 1rem; padding: 2rem; background: #fff; border: 1px solid #e2e8f0;
    border-radius: 0.75rem; box-shadow: 0 1px 2px rgb(0 0 0 / 0.05); }
  h1 { margin: 0 0 0.5rem; font-size: 1.25rem; }
  p { margin: 0 0 1rem; color: #475569; line-height: 1.5; }
  .en { border-top: 1px solid #e2e8f0; padding-top: 1rem; }
  a { display: inline-block; padding: 0.5rem 1rem; border-radius: 0.5rem; background: #4338ca; color: #fff; text-decoration: none; }
</style>
</head>
<body>
<main data-testid="db-unavailable">
  <h1>База даних тимчасово недоступна</h1>
  <p>Дані в безпеці; сторінка запрацює, щойно база даних повернеться. Спробуйте за хвилину.</p>
  <div class="en" lang="en">
    <h1>The database is temporarily unavailable</h1>
    <p>Your data is safe; this page works again as soon as the database is back. Try again in a minute.</p>
  </div>
  <a href="">Спробувати ще раз · Try again</a>
</main>
</body>
</html>
`;
}
