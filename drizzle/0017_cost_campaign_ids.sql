ALTER TABLE "ad_spend" ADD COLUMN "platform_campaign_id" text;--> statement-breakpoint
ALTER TABLE "ad_spend" ADD COLUMN "currency" varchar(3);--> statement-breakpoint
ALTER TABLE "ad_spend" ADD COLUMN "amount_original" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "utm_id" text;--> statement-breakpoint
CREATE INDEX "sessions_utm_id_idx" ON "sessions" USING btree ("utm_id") WHERE "sessions"."utm_id" is not null;