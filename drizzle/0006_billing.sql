CREATE TABLE "billing_events" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"project_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"customer_id" text NOT NULL,
	"value" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "billing_events_identifier_unique" UNIQUE("identifier")
);
--> statement-breakpoint
CREATE TABLE "billing_minutes" (
	"project_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"units" bigint DEFAULT 0 NOT NULL,
	"sent_units" bigint DEFAULT 0 NOT NULL,
	"events" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "billing_minutes_project_id_minute_pk" PRIMARY KEY("project_id","minute")
);
--> statement-breakpoint
CREATE TABLE "usage_billable" (
	"project_id" text NOT NULL,
	"api" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"units" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_billable_project_id_minute_api_pk" PRIMARY KEY("project_id","minute","api")
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
CREATE INDEX "billing_events_due_idx" ON "billing_events" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "billing_events_project_idx" ON "billing_events" USING btree ("project_id","minute");--> statement-breakpoint
CREATE INDEX "billing_minutes_unsent_idx" ON "billing_minutes" USING btree ("minute") WHERE units > sent_units;--> statement-breakpoint
CREATE INDEX "usage_billable_minute_idx" ON "usage_billable" USING btree ("minute");