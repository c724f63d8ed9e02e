CREATE TABLE "usage_journal_applied" (
	"journal_key" text PRIMARY KEY NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "usage_journal_applied_at_idx" ON "usage_journal_applied" USING btree ("applied_at");