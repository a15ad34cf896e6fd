CREATE TABLE "order_items" (
	"order_id" varchar(128) NOT NULL,
	"position" integer NOT NULL,
	"sku" text,
	"product_id" text,
	"name" text,
	"quantity" integer NOT NULL,
	"price" numeric(14, 2),
	"cost" numeric(14, 2),
	CONSTRAINT "order_items_order_id_position_pk" PRIMARY KEY("order_id","position")
);
--> statement-breakpoint
CREATE TABLE "order_refunds" (
	"refund_id" varchar(128) PRIMARY KEY NOT NULL,
	"order_id" varchar(128) NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"refunded_at" timestamp with time zone NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "refunded" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "subtotal" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount_codes" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "shipping" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "email_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "phone_sha256" varchar(64);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "landing_url" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "referrer" text;--> statement-breakpoint
ALTER TABLE "rollup_cells" ADD COLUMN "refunded_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "refunded" numeric(14, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_orders_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("order_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_order_id_orders_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("order_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_refunds_order_idx" ON "order_refunds" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_refunds_refunded_at_idx" ON "order_refunds" USING btree ("refunded_at");