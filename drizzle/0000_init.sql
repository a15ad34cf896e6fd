CREATE TABLE "ad_spend" (
	"id" serial PRIMARY KEY NOT NULL,
	"date" date NOT NULL,
	"utm_source" text NOT NULL,
	"utm_campaign" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" varchar(64) PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"customer_id" varchar(200) PRIMARY KEY NOT NULL,
	"first_order_id" varchar(128) NOT NULL,
	"first_order_at" timestamp with time zone NOT NULL,
	"last_order_at" timestamp with time zone NOT NULL,
	"acquisition_session_id" uuid,
	"utm_source" text DEFAULT '(none)' NOT NULL,
	"utm_medium" text DEFAULT '(none)' NOT NULL,
	"utm_campaign" text DEFAULT '(none)' NOT NULL,
	"utm_content" text DEFAULT '(none)' NOT NULL,
	"utm_term" text DEFAULT '(none)' NOT NULL,
	"country" varchar(8) DEFAULT '(none)' NOT NULL,
	"device" varchar(16) DEFAULT '(none)' NOT NULL,
	"browser" text DEFAULT '(none)' NOT NULL,
	"os" text DEFAULT '(none)' NOT NULL,
	"paid_orders" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"type" varchar(32) NOT NULL,
	"name" text,
	"path" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"properties" jsonb
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"order_id" varchar(128) PRIMARY KEY NOT NULL,
	"customer_id" varchar(200) NOT NULL,
	"visitor_id" varchar(64),
	"session_id" uuid,
	"total" numeric(14, 2) NOT NULL,
	"status" varchar(16) DEFAULT 'paid' NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"items" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_sends" (
	"id" serial PRIMARY KEY NOT NULL,
	"period" varchar(8) NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"recipient" varchar(254) NOT NULL,
	"status" varchar(16) NOT NULL,
	"error" text,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_subscriptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" varchar(254) NOT NULL,
	"period" varchar(8) NOT NULL,
	"language" varchar(2) DEFAULT 'uk' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"visitor_id" varchar(64) NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_event_at" timestamp with time zone NOT NULL,
	"landing_url" text,
	"landing_path" text,
	"referrer" text,
	"utm_source" text DEFAULT '(direct)' NOT NULL,
	"utm_medium" text DEFAULT '(none)' NOT NULL,
	"utm_campaign" text DEFAULT '(none)' NOT NULL,
	"utm_content" text DEFAULT '(none)' NOT NULL,
	"utm_term" text DEFAULT '(none)' NOT NULL,
	"country" varchar(8) DEFAULT '(none)' NOT NULL,
	"device" varchar(16) DEFAULT 'other' NOT NULL,
	"browser" text DEFAULT '(none)' NOT NULL,
	"os" text DEFAULT '(none)' NOT NULL,
	"page_views" integer DEFAULT 0 NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	"funnel_step" smallint DEFAULT 0 NOT NULL,
	"is_returning" boolean DEFAULT false NOT NULL,
	"paid_orders" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(14, 2) DEFAULT '0' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text,
	"params" jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" varchar(254) NOT NULL,
	"name" text,
	"password_hash" text NOT NULL,
	"role" varchar(16) DEFAULT 'viewer' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_links" ADD CONSTRAINT "share_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ad_spend_date_source_campaign_uq" ON "ad_spend" USING btree ("date","utm_source","utm_campaign");--> statement-breakpoint
CREATE INDEX "customers_first_order_idx" ON "customers" USING btree ("first_order_at");--> statement-breakpoint
CREATE INDEX "events_session_occurred_idx" ON "events" USING btree ("session_id","occurred_at");--> statement-breakpoint
CREATE INDEX "orders_customer_placed_idx" ON "orders" USING btree ("customer_id","placed_at");--> statement-breakpoint
CREATE INDEX "orders_session_idx" ON "orders" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "orders_placed_idx" ON "orders" USING btree ("placed_at");--> statement-breakpoint
CREATE INDEX "orders_visitor_idx" ON "orders" USING btree ("visitor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_sends_period_recipient_uq" ON "report_sends" USING btree ("period","period_start","recipient");--> statement-breakpoint
CREATE UNIQUE INDEX "report_subscriptions_email_period_uq" ON "report_subscriptions" USING btree ("email","period");--> statement-breakpoint
CREATE INDEX "sessions_started_at_idx" ON "sessions" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "sessions_visitor_started_idx" ON "sessions" USING btree ("visitor_id","started_at");--> statement-breakpoint
CREATE INDEX "sessions_campaign_started_idx" ON "sessions" USING btree ("utm_campaign","started_at");--> statement-breakpoint
CREATE INDEX "sessions_source_started_idx" ON "sessions" USING btree ("utm_source","started_at");