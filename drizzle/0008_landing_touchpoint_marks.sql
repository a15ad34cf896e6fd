-- Landing touchpoints (SPEC 17.1, lib/ingest/landing-touchpoints.ts) are part of what an
-- attribution day depends on: every write to order_touchpoints marks the UTC hour of its
-- occurred_at (= the order's placed_at) in order_changes, like a write to its order does, so the
-- day cells of that order's day are recomputed on the next read (migration 0005).
CREATE TRIGGER order_touchpoints_mark_insert AFTER INSERT ON order_touchpoints REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('order_changes', 'occurred_at');
--> statement-breakpoint
CREATE TRIGGER order_touchpoints_mark_update AFTER UPDATE ON order_touchpoints REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('order_changes', 'occurred_at');
--> statement-breakpoint
CREATE TRIGGER order_touchpoints_mark_delete AFTER DELETE ON order_touchpoints REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('order_changes', 'occurred_at');
