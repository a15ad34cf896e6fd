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
ALTER TABLE "rollup_attribution_cells" ADD CONSTRAINT "rollup_attribution_cells_view_id_rollup_views_id_fk" FOREIGN KEY ("view_id") REFERENCES "public"."rollup_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_attribution_days" ADD CONSTRAINT "rollup_attribution_days_view_id_rollup_views_id_fk" FOREIGN KEY ("view_id") REFERENCES "public"."rollup_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_changes_hour_idx" ON "order_changes" USING btree ("hour");--> statement-breakpoint
-- Change marks of orders (lib/analytics/rollups/attribution-cells.ts): as for sessions (0004), one
-- mark per UTC hour of placed_at a statement touched, appended in the writer's own transaction.
CREATE FUNCTION utmd_mark_new_order_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', placed_at AT TIME ZONE 'UTC'), 1 FROM new_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION utmd_mark_old_order_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', placed_at AT TIME ZONE 'UTC'), 1 FROM old_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION utmd_mark_changed_order_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_changes (hour, weight)
  SELECT date_trunc('hour', placed_at AT TIME ZONE 'UTC'), 1 FROM new_rows
  UNION
  SELECT date_trunc('hour', placed_at AT TIME ZONE 'UTC'), 1 FROM old_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER orders_mark_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_new_order_hours();
--> statement-breakpoint
CREATE TRIGGER orders_mark_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_changed_order_hours();
--> statement-breakpoint
CREATE TRIGGER orders_mark_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_old_order_hours();
--> statement-breakpoint
-- Orders stored before this migration get their marks once, so "no mark" means "no order".
INSERT INTO order_changes (hour, weight)
SELECT DISTINCT date_trunc('hour', placed_at AT TIME ZONE 'UTC'), 1 FROM orders;
