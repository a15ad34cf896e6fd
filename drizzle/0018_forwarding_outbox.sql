CREATE TABLE "forward_destinations" (
	"destination" varchar(16) PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"settings" jsonb NOT NULL,
	"secret_sealed" text NOT NULL,
	"secret_hint" varchar(8) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forward_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"destination" varchar(16) NOT NULL,
	"kind" varchar(16) DEFAULT 'purchase' NOT NULL,
	"order_id" varchar(128) NOT NULL,
	"event_id" varchar(128) NOT NULL,
	"status" varchar(16) DEFAULT 'queued' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claim_token" varchar(36),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"last_error_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "consent" jsonb;--> statement-breakpoint
ALTER TABLE "forward_outbox" ADD CONSTRAINT "forward_outbox_order_id_orders_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("order_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "forward_outbox_event_idx" ON "forward_outbox" USING btree ("destination","kind","order_id");--> statement-breakpoint
CREATE INDEX "forward_outbox_due_idx" ON "forward_outbox" USING btree ("destination","next_attempt_at") WHERE "forward_outbox"."status" in ('queued', 'sending');