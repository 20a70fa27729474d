CREATE SEQUENCE "public"."case_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "case_number_counters" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "case_number_counters" CASCADE;--> statement-breakpoint
DROP INDEX "cases_area_path_idx";--> statement-breakpoint
DROP INDEX "cases_owner_status_idx";--> statement-breakpoint
DROP INDEX "cases_assignee_status_idx";--> statement-breakpoint
CREATE INDEX "cases_created_idx" ON "cases" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "cases_area_path_idx" ON "cases" USING btree ("area_path" text_pattern_ops,"created_at","id");--> statement-breakpoint
CREATE INDEX "cases_owner_status_idx" ON "cases" USING btree ("owning_org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "cases_assignee_status_idx" ON "cases" USING btree ("assignee_org_id","status","created_at");