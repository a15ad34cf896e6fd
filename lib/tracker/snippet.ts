/**
 * The tracker's install snippet, in one place: the dashboard's empty state shows it and the README
 * repeats it (between its tracker-snippet markers; tests/unit/tracker-runtime.test.ts keeps the two
 * equal and e2e/tracker.spec.ts runs the README's copy in Chromium). `appUrl` is where this app is
 * served (APP_URL), so the copied text works as is. The first script is a stub that queues
 * `utmd.track` calls until t.js has loaded (SPEC 16); t.js replays them in order. It goes on every
 * page, so it sends only page views; TRACK_EXAMPLE shows an event call for the page it belongs on.
 */
export function trackerSnippet(appUrl: string): string {
  const origin = appUrl.replace(/\/+$/, "");
  return `<script>
  window.utmd = window.utmd || { q: [], track: function () { utmd.q.push(arguments) } };
</script>
<script async src="${origin}/t.js"></script>`;
}

/**
 * An event beyond page views, for the page where it happens only (a product page): the install
 * snippet itself holds no call, since it goes on every page and would send one from each.
 */
export const TRACK_EXAMPLE = `<script>utmd.track('product_view', { sku: 'A1' });</script>`;
