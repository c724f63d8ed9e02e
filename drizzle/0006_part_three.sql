CREATE TABLE "api_forward_secrets" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "api_routes" (
	"id" text PRIMARY KEY NOT NULL,
	"api_id" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"cost" integer DEFAULT 1 NOT NULL,
	"tiers" text[],
	"operation_id" text,
	"summary" text,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "apis" (
	"id" text PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"upstream_url" text NOT NULL,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"timeout_ms" integer DEFAULT 30000 NOT NULL,
	"max_body_bytes" integer NOT NULL,
	"openapi" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "service_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"start" text NOT NULL,
	"last4" text NOT NULL,
	"apis" text[],
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"deleted_at" timestamp with time zone
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
CREATE TABLE "user_identities" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"provider" text NOT NULL,
	"subject" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_remaining" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_refill_amount" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_refill_interval" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "credits_period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_remaining" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_refill_amount" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_refill_interval" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "credits_period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "provider" text DEFAULT 'password' NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "require_sso" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "api_forward_secrets" ADD CONSTRAINT "api_forward_secrets_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_routes" ADD CONSTRAINT "api_routes_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_forward_secrets_api_idx" ON "api_forward_secrets" USING btree ("api_id");--> statement-breakpoint
CREATE INDEX "api_routes_api_idx" ON "api_routes" USING btree ("api_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_routes_api_method_path_key" ON "api_routes" USING btree ("api_id","method","path");--> statement-breakpoint
CREATE UNIQUE INDEX "apis_slug_key" ON "apis" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "billing_events_due_idx" ON "billing_events" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "billing_events_project_idx" ON "billing_events" USING btree ("project_id","minute");--> statement-breakpoint
CREATE INDEX "billing_minutes_unsent_idx" ON "billing_minutes" USING btree ("minute") WHERE units > sent_units;--> statement-breakpoint
CREATE UNIQUE INDEX "service_tokens_hash_key" ON "service_tokens" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "usage_billable_minute_idx" ON "usage_billable" USING btree ("minute");--> statement-breakpoint
CREATE UNIQUE INDEX "user_identities_provider_subject_key" ON "user_identities" USING btree ("provider","subject");--> statement-breakpoint
CREATE INDEX "user_identities_user_idx" ON "user_identities" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_events_team_idx" ON "audit_events" USING btree ("team_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_pending_idx" ON "webhook_deliveries" USING btree ("endpoint_id","next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';