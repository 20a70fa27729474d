CREATE TABLE "assessment_formulas" (
	"year" integer PRIMARY KEY NOT NULL,
	"weights" jsonb NOT NULL,
	"min_volume" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warning_queue" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warning_queue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"reason" text DEFAULT 'change' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "warning_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warning_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"organization_id" integer,
	"area_path" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"params" jsonb NOT NULL,
	"notify_org_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warning_rules_level_check" CHECK ("warning_rules"."level" in ('red','orange','yellow','blue')),
	CONSTRAINT "warning_rules_kind_check" CHECK ("warning_rules"."kind" in ('cluster','repeat','group','spike','overdue','supervision','special_population'))
);
--> statement-breakpoint
CREATE TABLE "warnings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warnings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"rule_id" integer NOT NULL,
	"kind" text NOT NULL,
	"level" text NOT NULL,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"window_key" text NOT NULL,
	"title" text NOT NULL,
	"facts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"case_ids" uuid[] NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_by_name" text,
	"acknowledged_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolved_by_name" text,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warnings_status_check" CHECK ("warnings"."status" in ('open','acknowledged','resolved')),
	CONSTRAINT "warnings_level_check" CHECK ("warnings"."level" in ('red','orange','yellow','blue'))
);
--> statement-breakpoint
ALTER TABLE "warning_rules" ADD CONSTRAINT "warning_rules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_rule_id_warning_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."warning_rules"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "warnings" ADD CONSTRAINT "warnings_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "warnings_open_key" ON "warnings" USING btree ("rule_id","area_id","window_key") WHERE "warnings"."status" <> 'resolved';--> statement-breakpoint
CREATE INDEX "warnings_area_idx" ON "warnings" USING btree ("area_path" text_pattern_ops,"raised_at");--> statement-breakpoint
CREATE INDEX "warnings_open_idx" ON "warnings" USING btree ("raised_at") WHERE "warnings"."status" <> 'resolved';--> statement-breakpoint
-- New cases are also queued for the early-warning rules.
CREATE OR REPLACE FUNCTION fq_cases_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_queue (sign, day, area_id, area_path, channel, category_id, tier, status, org_id, n, merged, rejected, open, overdue, supervised,
    contact_met, contact_missed, handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
  SELECT 1, (f).* FROM (SELECT fq_case_facts(r) AS f FROM new_rows r) x;
  INSERT INTO warning_queue (case_id, reason) SELECT id, 'new' FROM new_rows;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Changed cases: the rollups' −old/+new facts; and the warnings look again when status, clocks or supervision moved.
CREATE OR REPLACE FUNCTION fq_cases_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_queue (sign, day, area_id, area_path, channel, category_id, tier, status, org_id, n, merged, rejected, open, overdue, supervised,
    contact_met, contact_missed, handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
  SELECT s.sign, (s.f).* FROM (
    SELECT o.id, fq_case_facts(o) AS fo, fq_case_facts(n) AS fn FROM old_rows o JOIN new_rows n ON n.id = o.id
  ) ch CROSS JOIN LATERAL (VALUES (-1::smallint, ch.fo), (1::smallint, ch.fn)) AS s(sign, f)
  WHERE ch.fo IS DISTINCT FROM ch.fn;
  INSERT INTO warning_queue (case_id)
  SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE o.warnings IS DISTINCT FROM n.warnings OR o.supervision_level IS DISTINCT FROM n.supervision_level OR o.status <> n.status;
  RETURN NULL;
END
$$;
