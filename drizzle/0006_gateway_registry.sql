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
ALTER TABLE "api_keys" ADD COLUMN "allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_forward_secrets" ADD CONSTRAINT "api_forward_secrets_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_routes" ADD CONSTRAINT "api_routes_api_id_apis_id_fk" FOREIGN KEY ("api_id") REFERENCES "public"."apis"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_forward_secrets_api_idx" ON "api_forward_secrets" USING btree ("api_id");--> statement-breakpoint
CREATE INDEX "api_routes_api_idx" ON "api_routes" USING btree ("api_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_routes_api_method_path_key" ON "api_routes" USING btree ("api_id","method","path");--> statement-breakpoint
CREATE UNIQUE INDEX "apis_slug_key" ON "apis" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "service_tokens_hash_key" ON "service_tokens" USING btree ("hash");