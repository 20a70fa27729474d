ALTER TABLE "deadline_policies" ADD COLUMN "mediation_accept_amount" integer;--> statement-breakpoint
ALTER TABLE "deadline_policies" ADD COLUMN "mediation_accept_unit" text;--> statement-breakpoint
ALTER TABLE "deadline_policies" ADD COLUMN "mediation_amount" integer;--> statement-breakpoint
ALTER TABLE "deadline_policies" ADD COLUMN "mediation_unit" text;--> statement-breakpoint
ALTER TABLE "mediations" ADD COLUMN "accept_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "mediations" ADD COLUMN "signed_scan" jsonb;--> statement-breakpoint
CREATE INDEX "case_events_mediation_figures_idx" ON "case_events" USING btree ("at") WHERE "case_events"."action" in ('mediation_open','mediation_conclude','mediation_refer_confirmation','mediation_record_ruling');--> statement-breakpoint
ALTER TABLE "deadline_policies" ADD CONSTRAINT "deadline_policies_mediation_check" CHECK (("deadline_policies"."mediation_accept_unit" is null or "deadline_policies"."mediation_accept_unit" in ('days','working_days')) and ("deadline_policies"."mediation_unit" is null or "deadline_policies"."mediation_unit" in ('days','working_days'))
    and ("deadline_policies"."mediation_accept_amount" is null) = ("deadline_policies"."mediation_accept_unit" is null) and ("deadline_policies"."mediation_amount" is null) = ("deadline_policies"."mediation_unit" is null));