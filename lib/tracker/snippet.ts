/**
 * The tracker's install snippet, in one place: the dashboard's empty state shows it and the README
 * repeats it (between its tracker-snippet markers; tests/unit/tracker-runtime.test.ts keeps the two
 * equal and e2e/tracker.spec.ts runs the README's copy in Chromium). `appUrl` is where this app is
 * served (APP_URL), so the copied text works as is. The first script is a stub that queues
 * `utmd.track` calls until t.js has loaded (SPEC 16); t.js replays them in order.
 */
export function trackerSnippet(appUrl: string): string {
  const origin = appUrl.replace(/\/+$/, "");
  return `<script>
  window.utmd = window.utmd || { q: [], track: function () { utmd.q.push(arguments) } };
</script>
<script async src="${origin}/t.js"></script>
<script>
  // Events beyond page views; calls made before t.js has loaded wait in utmd.q:
  utmd.track('product_view', { sku: 'A1' });
  // add_to_cart, checkout_start, or any custom name
</script>`;
}
