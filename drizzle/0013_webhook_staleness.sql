ALTER TABLE "webhook_deliveries" ADD COLUMN "resource_id" varchar(128);--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "triggered_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_resource_idx" ON "webhook_deliveries" USING btree ("platform","resource_id","triggered_at");