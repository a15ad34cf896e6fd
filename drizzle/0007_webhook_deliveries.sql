CREATE TABLE "order_touchpoints" (
	"order_id" varchar(128) PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"landing_url" text,
	"referrer" text,
	"landing_page" text DEFAULT '(none)' NOT NULL,
	"referrer_host" text DEFAULT '(none)' NOT NULL,
	"utm_source" text DEFAULT '(direct)' NOT NULL,
	"utm_medium" text DEFAULT '(none)' NOT NULL,
	"utm_campaign" text DEFAULT '(none)' NOT NULL,
	"utm_content" text DEFAULT '(none)' NOT NULL,
	"utm_term" text DEFAULT '(none)' NOT NULL,
	"country" varchar(8) DEFAULT '(none)' NOT NULL,
	"device" varchar(16) DEFAULT 'other' NOT NULL,
	"browser" text DEFAULT '(none)' NOT NULL,
	"os" text DEFAULT '(none)' NOT NULL,
	"channel" text DEFAULT '(none)' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"platform" varchar(16) NOT NULL,
	"delivery_id" varchar(200) NOT NULL,
	"topic" varchar(100) NOT NULL,
	"shop" varchar(255),
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" varchar(16) NOT NULL,
	"error" text,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"last_duplicate_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_platform_delivery_id_pk" PRIMARY KEY("platform","delivery_id")
);
--> statement-breakpoint
ALTER TABLE "order_touchpoints" ADD CONSTRAINT "order_touchpoints_order_id_orders_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("order_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_idx" ON "webhook_deliveries" USING btree ("platform","received_at");