-- The usage tables and the request log become partitioned by time (README "Usage storage"), so retention drops whole
-- partitions instead of deleting rows. Each usage table is split by month on `bucket`, each month by granularity,
-- and a month's minute rows by day: minute rows go a day at a time (7 days), hour rows a month at a time (400 days),
-- day rows stay. The request log is split by day on `at`. A DEFAULT partition catches a row whose partition is
-- missing (the maintenance job moves such rows into the partition when it creates it).
--
-- The existing table is not copied: it is renamed to <table>_legacy and attached as the partition below the first
-- month (or dropped when empty). Attaching skips the scan when the table carries a validated CHECK on that bound;
-- on PostgreSQL the migration runner adds and validates it before this file runs, outside its transaction, while
-- writes go on (lib/db/migrate.ts). Without it (PGlite, a database migrated by hand) the CHECK is validated here.
-- Its indexes match the new parent's, so they are attached, not rebuilt.
CREATE FUNCTION keyport_utc(p timestamp) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT to_char(p, 'YYYY-MM-DD HH24:MI:SS') || '+00'
$fn$;
--> statement-breakpoint
-- Upper bound of <table>_legacy (UTC), or null when there is none: no partition is created below it.
CREATE FUNCTION keyport_legacy_bound(p_table text) RETURNS timestamp LANGUAGE sql STABLE AS $fn$
  SELECT (substring(pg_get_expr(c.relpartbound, c.oid) from 'TO \(''([^'']+)''\)'))::timestamptz AT TIME ZONE 'UTC'
  FROM pg_class c WHERE c.oid = to_regclass(p_table || '_legacy') AND c.relispartition
$fn$;
--> statement-breakpoint
-- Builds one partition apart, moves in the rows its range left in the DEFAULT partition, and attaches it (attaching
-- takes a lighter lock on the parent than CREATE … PARTITION OF, so writers are not blocked).
CREATE FUNCTION keyport_attach_range(p_table text, p_column text, p_name text, p_from timestamp, p_to timestamp) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    p_table || '_default', p_column, keyport_utc(p_from), p_column, keyport_utc(p_to), p_name);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p_table, p_name, keyport_utc(p_from), keyport_utc(p_to));
END
$fn$;
--> statement-breakpoint
-- One month of a usage table: <table>_pYYYYMM, split into _hour, _day and _minute, the last by day (_minute_DD).
CREATE FUNCTION keyport_usage_month(p_table text, p_month timestamp) RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  m timestamp := date_trunc('month', p_month);
  m_next timestamp := date_trunc('month', p_month) + interval '1 month';
  name text := p_table || '_p' || to_char(p_month, 'YYYYMM');
  d timestamp;
BEGIN
  IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS) PARTITION BY LIST (granularity)', name, p_table);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (''hour'')', name || '_hour', name);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (''day'')', name || '_day', name);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (''minute'') PARTITION BY RANGE (bucket)', name || '_minute', name);
  d := m;
  WHILE d < m_next LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
      name || '_minute_' || to_char(d, 'DD'), name || '_minute', keyport_utc(d), keyport_utc(d + interval '1 day'));
    d := d + interval '1 day';
  END LOOP;
  PERFORM keyport_attach_range(p_table, 'bucket', name, m, m_next);
  RETURN true;
END
$fn$;
--> statement-breakpoint
-- One day of the request log: request_log_pYYYYMMDD.
CREATE FUNCTION keyport_request_log_day(p_day timestamp) RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  d timestamp := date_trunc('day', p_day);
  name text := 'request_log_p' || to_char(p_day, 'YYYYMMDD');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN RETURN false; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE request_log INCLUDING DEFAULTS)', name);
  PERFORM keyport_attach_range('request_log', 'at', name, d, d + interval '1 day');
  RETURN true;
END
$fn$;
--> statement-breakpoint
-- Creates every missing partition from the current period to `p_months_ahead` months (usage) and `p_days_ahead` days
-- (request log) ahead of p_now. Instances calling it together queue on the lock; the later ones find nothing to do.
-- Returns how many partitions it created.
CREATE FUNCTION keyport_ensure_partitions(p_now timestamptz, p_months_ahead int, p_days_ahead int) RETURNS int LANGUAGE plpgsql AS $fn$
DECLARE
  now_utc timestamp := p_now AT TIME ZONE 'UTC';
  t text;
  floor_at timestamp;
  period timestamp;
  created int := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('keyport:partitions'));
  FOREACH t IN ARRAY ARRAY['usage_rollups', 'usage_key_totals', 'usage_project_rollups'] LOOP
    floor_at := keyport_legacy_bound(t);
    FOR i IN 0..p_months_ahead LOOP
      period := date_trunc('month', now_utc) + make_interval(months => i);
      IF (floor_at IS NULL OR period >= floor_at) AND keyport_usage_month(t, period) THEN created := created + 1; END IF;
    END LOOP;
  END LOOP;
  floor_at := keyport_legacy_bound('request_log');
  FOR i IN 0..p_days_ahead LOOP
    period := date_trunc('day', now_utc) + make_interval(days => i);
    IF (floor_at IS NULL OR period >= floor_at) AND keyport_request_log_day(period) THEN created := created + 1; END IF;
  END LOOP;
  RETURN created;
END
$fn$;
--> statement-breakpoint
-- The old table becomes the partition below `bound` when it holds rows (a prepared, validated CHECK
-- <table>_before_partitions gives the bound; without one it is added here), and is dropped when empty.
CREATE FUNCTION keyport_attach_legacy(p_table text, p_column text) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  legacy text := p_table || '_legacy';
  bound timestamptz;
  newest timestamptz;
  has_rows boolean;
BEGIN
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', legacy) INTO has_rows;
  IF NOT has_rows THEN
    EXECUTE format('DROP TABLE %I', legacy);
    RETURN;
  END IF;
  SELECT (substring(pg_get_constraintdef(c.oid) from '''([^'']+)'''))::timestamptz INTO bound
  FROM pg_constraint c WHERE c.conrelid = legacy::regclass AND c.conname = p_table || '_before_partitions' AND c.convalidated;
  IF bound IS NULL THEN
    -- The first of a month at least two days away (writers keep landing below it until then) and past the newest row.
    EXECUTE format('SELECT max(%I) FROM %I', p_column, legacy) INTO newest;
    bound := greatest(
      (date_trunc('month', (now() AT TIME ZONE 'UTC') + interval '2 days') + interval '1 month') AT TIME ZONE 'UTC',
      (date_trunc('month', newest AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC');
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', legacy, p_table || '_before_partitions');
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I < %L)', legacy, p_table || '_before_partitions', p_column, bound);
  END IF;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)', p_table, legacy, bound);
END
$fn$;
--> statement-breakpoint
ALTER TABLE "usage_rollups" RENAME TO "usage_rollups_legacy";--> statement-breakpoint
ALTER TABLE "usage_rollups_legacy" RENAME CONSTRAINT "usage_rollups_key_id_granularity_bucket_endpoint_pk" TO "usage_rollups_legacy_pk";--> statement-breakpoint
ALTER INDEX "usage_rollups_project_idx" RENAME TO "usage_rollups_legacy_project_idx";--> statement-breakpoint
ALTER INDEX "usage_rollups_bucket_idx" RENAME TO "usage_rollups_legacy_bucket_idx";--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"key_id" text NOT NULL,
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
	CONSTRAINT "usage_rollups_key_id_granularity_bucket_endpoint_pk" PRIMARY KEY("key_id","granularity","bucket","endpoint")
) PARTITION BY RANGE ("bucket");--> statement-breakpoint
CREATE INDEX "usage_rollups_project_idx" ON "usage_rollups" USING btree ("project_id","granularity","bucket");--> statement-breakpoint
CREATE INDEX "usage_rollups_bucket_idx" ON "usage_rollups" USING btree ("granularity","bucket");--> statement-breakpoint
CREATE TABLE "usage_rollups_default" PARTITION OF "usage_rollups" DEFAULT;--> statement-breakpoint
SELECT keyport_attach_legacy('usage_rollups', 'bucket');--> statement-breakpoint
ALTER TABLE "usage_key_totals" RENAME TO "usage_key_totals_legacy";--> statement-breakpoint
ALTER TABLE "usage_key_totals_legacy" RENAME CONSTRAINT "usage_key_totals_key_id_granularity_bucket_pk" TO "usage_key_totals_legacy_pk";--> statement-breakpoint
ALTER INDEX "usage_key_totals_project_idx" RENAME TO "usage_key_totals_legacy_project_idx";--> statement-breakpoint
ALTER INDEX "usage_key_totals_bucket_idx" RENAME TO "usage_key_totals_legacy_bucket_idx";--> statement-breakpoint
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
) PARTITION BY RANGE ("bucket");--> statement-breakpoint
CREATE INDEX "usage_key_totals_project_idx" ON "usage_key_totals" USING btree ("project_id","granularity","bucket","key_id","total","success","client_errors","rate_limited","server_errors");--> statement-breakpoint
CREATE INDEX "usage_key_totals_bucket_idx" ON "usage_key_totals" USING btree ("granularity","bucket","key_id","project_id","total","success","client_errors","rate_limited","server_errors");--> statement-breakpoint
CREATE TABLE "usage_key_totals_default" PARTITION OF "usage_key_totals" DEFAULT;--> statement-breakpoint
SELECT keyport_attach_legacy('usage_key_totals', 'bucket');--> statement-breakpoint
ALTER TABLE "usage_project_rollups" RENAME TO "usage_project_rollups_legacy";--> statement-breakpoint
ALTER TABLE "usage_project_rollups_legacy" RENAME CONSTRAINT "usage_project_rollups_project_id_granularity_bucket_endpoint_pk" TO "usage_project_rollups_legacy_pk";--> statement-breakpoint
ALTER INDEX "usage_project_rollups_bucket_idx" RENAME TO "usage_project_rollups_legacy_bucket_idx";--> statement-breakpoint
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
) PARTITION BY RANGE ("bucket");--> statement-breakpoint
CREATE INDEX "usage_project_rollups_bucket_idx" ON "usage_project_rollups" USING btree ("granularity","bucket");--> statement-breakpoint
CREATE TABLE "usage_project_rollups_default" PARTITION OF "usage_project_rollups" DEFAULT;--> statement-breakpoint
SELECT keyport_attach_legacy('usage_project_rollups', 'bucket');--> statement-breakpoint
ALTER TABLE "request_log" RENAME TO "request_log_legacy";--> statement-breakpoint
ALTER INDEX "request_log_project_idx" RENAME TO "request_log_legacy_project_idx";--> statement-breakpoint
ALTER INDEX "request_log_key_idx" RENAME TO "request_log_legacy_key_idx";--> statement-breakpoint
ALTER INDEX "request_log_request_id_idx" RENAME TO "request_log_legacy_request_id_idx";--> statement-breakpoint
ALTER INDEX "request_log_at_idx" RENAME TO "request_log_legacy_at_idx";--> statement-breakpoint
CREATE TABLE "request_log" (
	"id" bigint DEFAULT nextval('request_log_id_seq'::regclass) NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"request_id" text NOT NULL,
	"key_id" text,
	"project_id" text,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"code" text,
	"latency_ms" integer DEFAULT 0 NOT NULL,
	"ip" text
) PARTITION BY RANGE ("at");--> statement-breakpoint
-- The sequence follows the new table (dropping the legacy partition must not take it along).
ALTER SEQUENCE "request_log_id_seq" OWNED BY "request_log"."id";--> statement-breakpoint
CREATE INDEX "request_log_project_idx" ON "request_log" USING btree ("project_id","at");--> statement-breakpoint
CREATE INDEX "request_log_key_idx" ON "request_log" USING btree ("key_id","at");--> statement-breakpoint
CREATE INDEX "request_log_request_id_idx" ON "request_log" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "request_log_at_idx" ON "request_log" USING btree ("at");--> statement-breakpoint
CREATE TABLE "request_log_default" PARTITION OF "request_log" DEFAULT;--> statement-breakpoint
SELECT keyport_attach_legacy('request_log', 'at');--> statement-breakpoint
-- Only the current month and day here (none below a legacy bound, which is at least two days away): every table
-- created in this transaction is time the renamed tables stay locked. The maintenance job creates the periods ahead
-- a minute after the app starts (lib/retention/partitions.ts), and until then the DEFAULT partitions catch any row.
SELECT keyport_ensure_partitions(now(), 0, 0);
