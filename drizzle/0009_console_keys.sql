ALTER TABLE "api_keys" ADD COLUMN "kind" text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "console_secret" text;--> statement-breakpoint
CREATE INDEX "api_keys_console_idx" ON "api_keys" USING btree ("project_id","created_by") WHERE "api_keys"."kind" = 'console';