ALTER TABLE "customers" ADD COLUMN "channel" text DEFAULT '(none)' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "channel" text DEFAULT 'Direct' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "click_ids" jsonb;