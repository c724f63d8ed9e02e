DROP INDEX "usage_key_totals_project_idx";--> statement-breakpoint
DROP INDEX "usage_key_totals_bucket_idx";--> statement-breakpoint
CREATE INDEX "usage_key_totals_project_idx" ON "usage_key_totals" USING btree ("project_id","granularity","bucket","key_id","total","success","client_errors","rate_limited","server_errors");--> statement-breakpoint
CREATE INDEX "usage_key_totals_bucket_idx" ON "usage_key_totals" USING btree ("granularity","bucket","key_id","project_id","total","success","client_errors","rate_limited","server_errors");