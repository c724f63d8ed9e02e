CREATE TABLE "usage_key_totals" (
	"key_id" text NOT NULL,
	"project_id" text NOT NULL,
	"granularity" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"success" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"rate_limited" integer DEFAULT 0 NOT NULL,
	"server_errors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_key_totals_key_id_granularity_bucket_pk" PRIMARY KEY("key_id","granularity","bucket")
);
--> statement-breakpoint
CREATE TABLE "usage_project_rollups" (
	"project_id" text NOT NULL,
	"granularity" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"endpoint" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"success" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"rate_limited" integer DEFAULT 0 NOT NULL,
	"server_errors" integer DEFAULT 0 NOT NULL,
	"latency_sum_ms" bigint DEFAULT 0 NOT NULL,
	"latency_histogram" integer[] DEFAULT '{}'::integer[] NOT NULL,
	CONSTRAINT "usage_project_rollups_project_id_granularity_bucket_endpoint_pk" PRIMARY KEY("project_id","granularity","bucket","endpoint")
);
--> statement-breakpoint
CREATE INDEX "usage_key_totals_project_idx" ON "usage_key_totals" USING btree ("project_id","granularity","bucket");--> statement-breakpoint
CREATE INDEX "usage_key_totals_bucket_idx" ON "usage_key_totals" USING btree ("granularity","bucket");--> statement-breakpoint
CREATE INDEX "usage_project_rollups_bucket_idx" ON "usage_project_rollups" USING btree ("granularity","bucket");--> statement-breakpoint
-- Backfill from the rows already in usage_rollups (the flusher keeps both in step from here on).
INSERT INTO "usage_key_totals" ("key_id", "project_id", "granularity", "bucket", "total", "success", "client_errors", "rate_limited", "server_errors")
SELECT "key_id", min("project_id"), "granularity", "bucket", sum("total"), sum("success"), sum("client_errors"), sum("rate_limited"), sum("server_errors")
FROM "usage_rollups" GROUP BY "key_id", "granularity", "bucket";--> statement-breakpoint
-- Histograms are summed element-wise (a shorter array counts as zeros), like the flusher's upsert does.
INSERT INTO "usage_project_rollups" ("project_id", "granularity", "bucket", "endpoint", "total", "success", "client_errors", "rate_limited", "server_errors", "latency_sum_ms", "latency_histogram")
SELECT c."project_id", c."granularity", c."bucket", c."endpoint", c."total", c."success", c."client_errors", c."rate_limited", c."server_errors", c."latency_sum_ms",
  coalesce(h."histogram", '{}'::integer[])
FROM (
  SELECT "project_id", "granularity", "bucket", "endpoint", sum("total") AS "total", sum("success") AS "success", sum("client_errors") AS "client_errors",
    sum("rate_limited") AS "rate_limited", sum("server_errors") AS "server_errors", sum("latency_sum_ms") AS "latency_sum_ms"
  FROM "usage_rollups" GROUP BY 1, 2, 3, 4
) c
LEFT JOIN (
  SELECT "project_id", "granularity", "bucket", "endpoint", array_agg("n" ORDER BY "i") AS "histogram"
  FROM (
    SELECT r."project_id", r."granularity", r."bucket", r."endpoint", u."i", sum(u."n")::integer AS "n"
    FROM "usage_rollups" r, unnest(r."latency_histogram") WITH ORDINALITY AS u("n", "i")
    GROUP BY 1, 2, 3, 4, 5
  ) per_bucket
  GROUP BY 1, 2, 3, 4
) h USING ("project_id", "granularity", "bucket", "endpoint");
