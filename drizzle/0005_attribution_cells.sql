CREATE TABLE "order_changes" (
	"hour" timestamp NOT NULL,
	"weight" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_attribution_cells" (
	"view_id" integer NOT NULL,
	"day" date NOT NULL,
	"key" text NOT NULL,
	"lnd_conv" double precision NOT NULL,
	"lnd_rev" double precision NOT NULL,
	"lc_conv" double precision NOT NULL,
	"lc_rev" double precision NOT NULL,
	"fc_conv" double precision NOT NULL,
	"fc_rev" double precision NOT NULL,
	"lin_conv" double precision NOT NULL,
	"lin_rev" double precision NOT NULL,
	"pos_conv" double precision NOT NULL,
	"pos_rev" double precision NOT NULL,
	"td_conv" double precision NOT NULL,
	"td_rev" double precision NOT NULL,
	"credited" integer NOT NULL,
	CONSTRAINT "rollup_attribution_cells_view_id_day_key_pk" PRIMARY KEY("view_id","day","key")
);
--> statement-breakpoint
CREATE TABLE "rollup_attribution_days" (
	"view_id" integer NOT NULL,
	"day" date NOT NULL,
	"stamp" bigint NOT NULL,
	"dep_from" timestamp NOT NULL,
	"dep_to" timestamp NOT NULL,
	"unattributed_orders" integer NOT NULL,
	"unattributed_revenue" numeric(16, 2) NOT NULL,
	CONSTRAINT "rollup_attribution_days_view_id_day_pk" PRIMARY KEY("view_id","day")
);
--> statement-breakpoint
CREATE TABLE "touchpoint_changes" (
	"hour" timestamp NOT NULL,
	"weight" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rollup_attribution_cells" ADD CONSTRAINT "rollup_attribution_cells_view_id_rollup_views_id_fk" FOREIGN KEY ("view_id") REFERENCES "public"."rollup_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_attribution_days" ADD CONSTRAINT "rollup_attribution_days_view_id_rollup_views_id_fk" FOREIGN KEY ("view_id") REFERENCES "public"."rollup_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_changes_hour_idx" ON "order_changes" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "touchpoint_changes_hour_idx" ON "touchpoint_changes" USING btree ("hour");--> statement-breakpoint
-- Change marks for attribution's day cells (lib/analytics/rollups/attribution-cells.ts): like the
-- session marks of 0004, one mark per UTC hour a statement touched, appended in the writer's own
-- transaction. TG_ARGV: the marks table and the timestamptz column whose hour is marked.
CREATE FUNCTION utmd_mark_hours() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pick text := format('SELECT date_trunc(''hour'', %I AT TIME ZONE ''UTC'') AS hour FROM %%s', TG_ARGV[1]);
  src text;
BEGIN
  src := CASE TG_OP WHEN 'INSERT' THEN format(pick, 'new_rows')
                    WHEN 'DELETE' THEN format(pick, 'old_rows')
                    ELSE format(pick, 'new_rows') || ' UNION ALL ' || format(pick, 'old_rows') END;
  EXECUTE format('INSERT INTO %I (hour, weight) SELECT DISTINCT hour, 1 FROM (%s) x', TG_ARGV[0], src);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER orders_mark_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('order_changes', 'placed_at');
--> statement-breakpoint
CREATE TRIGGER orders_mark_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('order_changes', 'placed_at');
--> statement-breakpoint
CREATE TRIGGER orders_mark_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('order_changes', 'placed_at');
--> statement-breakpoint
CREATE TRIGGER sessions_mark_touchpoint_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('touchpoint_changes', 'started_at');
--> statement-breakpoint
CREATE TRIGGER sessions_mark_touchpoint_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_hours('touchpoint_changes', 'started_at');
--> statement-breakpoint
-- An update marks the old and new hours of the sessions whose row changed in more than the facts
-- (lib/db/schema.ts TOUCHPOINT_FACT_COLUMNS, the same list): a paid order's facts update of its
-- session, or an event's counters, credit no one differently.
CREATE FUNCTION utmd_mark_touchpoint_update_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO touchpoint_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', t AT TIME ZONE 'UTC'), 1
  FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL unnest(ARRAY[o.started_at, n.started_at]) t
  WHERE t IS NOT NULL
    AND (o.id IS NULL OR n.id IS NULL
         OR (to_jsonb(o) - ARRAY['last_event_at', 'page_views', 'event_count', 'funnel_step', 'is_returning', 'paid_orders', 'revenue'])
            IS DISTINCT FROM
            (to_jsonb(n) - ARRAY['last_event_at', 'page_views', 'event_count', 'funnel_step', 'is_returning', 'paid_orders', 'revenue']));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_mark_touchpoint_update AFTER UPDATE ON sessions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_touchpoint_update_hours();
--> statement-breakpoint
-- Rows stored before this migration get their marks once, so "no mark" means "no row".
INSERT INTO order_changes (hour, weight)
SELECT DISTINCT date_trunc('hour', placed_at AT TIME ZONE 'UTC'), 1 FROM orders;
--> statement-breakpoint
INSERT INTO touchpoint_changes (hour, weight)
SELECT DISTINCT date_trunc('hour', started_at AT TIME ZONE 'UTC'), 1 FROM sessions;
