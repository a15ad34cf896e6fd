CREATE TABLE "product_costs" (
	"sku" text PRIMARY KEY NOT NULL,
	"cost" numeric(14, 2) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "margin" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "uncosted_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "uncosted_net" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "uncosted_revenue" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "cogs" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_fee" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "shipping_cost" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "rollup_cells" ADD COLUMN "margin_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_cells" ADD COLUMN "uncosted_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_cells" ADD COLUMN "uncosted_net_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rollup_cells" ADD COLUMN "uncosted_revenue_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "margin" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "uncosted_orders" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "uncosted_net" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "uncosted_revenue" numeric(14, 2) DEFAULT '0' NOT NULL;