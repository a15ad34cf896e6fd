CREATE TABLE "fx_rates" (
	"currency" varchar(3) NOT NULL,
	"date" date NOT NULL,
	"rate" numeric(20, 10) NOT NULL,
	"source" varchar(16) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fx_rates_currency_date_pk" PRIMARY KEY("currency","date")
);
--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "total" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "currency" varchar(3);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "total_original" numeric(14, 2);--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "fx_rate" numeric(20, 10) DEFAULT '1';