CREATE TABLE "campaign_map" (
	"utm_source" text NOT NULL,
	"platform_campaign" text NOT NULL,
	"utm_campaign" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_map_utm_source_platform_campaign_pk" PRIMARY KEY("utm_source","platform_campaign")
);
--> statement-breakpoint
CREATE TABLE "tracker_counters" (
	"minute" timestamp with time zone NOT NULL,
	"kind" varchar(32) NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tracker_counters_minute_kind_pk" PRIMARY KEY("minute","kind")
);
--> statement-breakpoint
CREATE TABLE "utm_links" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text,
	"base_url" text NOT NULL,
	"utm_source" text NOT NULL,
	"utm_medium" text NOT NULL,
	"utm_campaign" text NOT NULL,
	"utm_content" text DEFAULT '(none)' NOT NULL,
	"utm_term" text DEFAULT '(none)' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "ad_spend_date_source_campaign_uq";--> statement-breakpoint
ALTER TABLE "ad_spend" ADD COLUMN "platform_campaign" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "landing_page" text DEFAULT '(none)' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "referrer_host" text DEFAULT '(none)' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "landing_page" text GENERATED ALWAYS AS (coalesce(landing_path, '(none)')) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "referrer_host" text DEFAULT '(none)' NOT NULL;--> statement-breakpoint
ALTER TABLE "utm_links" ADD CONSTRAINT "utm_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ad_spend_date_source_campaign_uq" ON "ad_spend" USING btree ("date","utm_source",coalesce("platform_campaign", "utm_campaign"));--> statement-breakpoint
UPDATE "sessions" SET "referrer_host" = coalesce(nullif(regexp_replace(lower(substring("referrer" from '^[hH][tT][tT][pP][sS]?://(?:[^/?#@]*@)?([^/?#:]+)')), '^www\.', ''), ''), '(none)') WHERE "referrer" IS NOT NULL;--> statement-breakpoint
UPDATE "customers" c SET "landing_page" = s."landing_page", "referrer_host" = s."referrer_host" FROM "sessions" s WHERE s."id" = c."acquisition_session_id";
