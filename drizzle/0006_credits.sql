ALTER TABLE "api_keys" ADD COLUMN "credits_remaining" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_refill_amount" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_refill_interval" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_remaining" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_refill_amount" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_refill_interval" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_period_start" timestamp with time zone;