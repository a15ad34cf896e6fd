CREATE TABLE "rollup_cells" (
	"view_id" integer NOT NULL,
	"day" date NOT NULL,
	"key" text NOT NULL,
	"sessions" integer NOT NULL,
	"conversions" integer NOT NULL,
	"orders" integer NOT NULL,
	"revenue_cents" bigint NOT NULL,
	"new_sessions" integer NOT NULL,
	"new_conversions" integer NOT NULL,
	"new_revenue_cents" bigint NOT NULL,
	"bounced" integer NOT NULL,
	"page_views" bigint NOT NULL,
	"funnel1" integer NOT NULL,
	"funnel2" integer NOT NULL,
	"funnel3" integer NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	"visitor_nums" "bytea" NOT NULL,
	CONSTRAINT "rollup_cells_view_id_day_key_pk" PRIMARY KEY("view_id","day","key")
);
--> statement-breakpoint
CREATE TABLE "rollup_days" (
	"view_id" integer NOT NULL,
	"day" date NOT NULL,
	"stamp" bigint NOT NULL,
	CONSTRAINT "rollup_days_view_id_day_pk" PRIMARY KEY("view_id","day")
);
--> statement-breakpoint
CREATE TABLE "rollup_views" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rollup_views_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "session_changes" (
	"hour" timestamp NOT NULL,
	"weight" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_numbers" (
	"visitor_key" bigint PRIMARY KEY NOT NULL,
	"num" integer GENERATED ALWAYS AS IDENTITY (sequence name "visitor_numbers_num_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1)
);
--> statement-breakpoint
ALTER TABLE "rollup_cells" ADD CONSTRAINT "rollup_cells_view_id_rollup_views_id_fk" FOREIGN KEY ("view_id") REFERENCES "public"."rollup_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_days" ADD CONSTRAINT "rollup_days_view_id_rollup_views_id_fk" FOREIGN KEY ("view_id") REFERENCES "public"."rollup_views"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_changes_hour_idx" ON "session_changes" USING btree ("hour");--> statement-breakpoint
-- Change marks (lib/analytics/rollups): every statement that inserts, updates or deletes sessions
-- appends one mark per UTC hour it touched, in its own transaction, so a cached day is known stale
-- as soon as a write to it commits. Append-only: writers never wait on each other here.
CREATE FUNCTION utmd_mark_new_session_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', started_at AT TIME ZONE 'UTC'), 1 FROM new_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION utmd_mark_old_session_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', started_at AT TIME ZONE 'UTC'), 1 FROM old_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION utmd_mark_changed_session_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_changes (hour, weight)
  SELECT date_trunc('hour', started_at AT TIME ZONE 'UTC'), 1 FROM new_rows
  UNION
  SELECT date_trunc('hour', started_at AT TIME ZONE 'UTC'), 1 FROM old_rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_mark_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_new_session_hours();
--> statement-breakpoint
CREATE TRIGGER sessions_mark_update AFTER UPDATE ON sessions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_changed_session_hours();
--> statement-breakpoint
CREATE TRIGGER sessions_mark_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_old_session_hours();
--> statement-breakpoint
-- Event-kind cells read events too: an event written without touching its session still marks
-- the session's hour (deleted sessions' events go with them and are marked above).
CREATE FUNCTION utmd_mark_event_session_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', s.started_at AT TIME ZONE 'UTC'), 1
  FROM new_rows e JOIN sessions s ON s.id = e.session_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_mark_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_event_session_hours();
--> statement-breakpoint
CREATE TRIGGER events_mark_update AFTER UPDATE ON events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_event_session_hours();
--> statement-breakpoint
CREATE FUNCTION utmd_mark_old_event_session_hours() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_changes (hour, weight)
  SELECT DISTINCT date_trunc('hour', s.started_at AT TIME ZONE 'UTC'), 1
  FROM old_rows e JOIN sessions s ON s.id = e.session_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_mark_delete AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION utmd_mark_old_event_session_hours();
--> statement-breakpoint
-- Sessions stored before this migration get their marks once, so "no mark" means "no session".
INSERT INTO session_changes (hour, weight)
SELECT DISTINCT date_trunc('hour', started_at AT TIME ZONE 'UTC'), 1 FROM sessions;
