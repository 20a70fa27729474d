CREATE TABLE "case_rollups" (
	"grain" text NOT NULL,
	"dim" text NOT NULL,
	"bucket" date NOT NULL,
	"area_id" integer NOT NULL,
	"val" text NOT NULL,
	"area_path" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	"merged" bigint DEFAULT 0 NOT NULL,
	"rejected" bigint DEFAULT 0 NOT NULL,
	"open" bigint DEFAULT 0 NOT NULL,
	"overdue" bigint DEFAULT 0 NOT NULL,
	"supervised" bigint DEFAULT 0 NOT NULL,
	"contact_met" bigint DEFAULT 0 NOT NULL,
	"contact_missed" bigint DEFAULT 0 NOT NULL,
	"handle_met" bigint DEFAULT 0 NOT NULL,
	"handle_missed" bigint DEFAULT 0 NOT NULL,
	"replied" bigint DEFAULT 0 NOT NULL,
	"rated" bigint DEFAULT 0 NOT NULL,
	"satisfied" bigint DEFAULT 0 NOT NULL,
	"closed" bigint DEFAULT 0 NOT NULL,
	"closed_first" bigint DEFAULT 0 NOT NULL,
	"reopened" bigint DEFAULT 0 NOT NULL,
	"repeated" bigint DEFAULT 0 NOT NULL,
	"handle_working_days" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "case_rollups_grain_dim_bucket_area_id_val_pk" PRIMARY KEY("grain","dim","bucket","area_id","val"),
	CONSTRAINT "case_rollups_grain_check" CHECK ("case_rollups"."grain" in ('day','month'))
);
--> statement-breakpoint
CREATE TABLE "rollup_queue" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rollup_queue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sign" smallint NOT NULL,
	"day" date NOT NULL,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"channel" text NOT NULL,
	"category_id" integer NOT NULL,
	"tier" text NOT NULL,
	"status" text NOT NULL,
	"org_id" integer NOT NULL,
	"n" integer NOT NULL,
	"merged" integer NOT NULL,
	"rejected" integer NOT NULL,
	"open" integer NOT NULL,
	"overdue" integer NOT NULL,
	"supervised" integer NOT NULL,
	"contact_met" integer NOT NULL,
	"contact_missed" integer NOT NULL,
	"handle_met" integer NOT NULL,
	"handle_missed" integer NOT NULL,
	"replied" integer NOT NULL,
	"rated" integer NOT NULL,
	"satisfied" integer NOT NULL,
	"closed" integer NOT NULL,
	"closed_first" integer NOT NULL,
	"reopened" integer NOT NULL,
	"repeated" integer NOT NULL,
	"handle_working_days" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "repeat_of" uuid;--> statement-breakpoint
CREATE INDEX "case_rollups_path_idx" ON "case_rollups" USING btree ("grain","dim","area_path" text_pattern_ops,"bucket");--> statement-breakpoint
CREATE INDEX "case_rollups_org_idx" ON "case_rollups" USING btree ("dim","val","grain","bucket") WHERE "case_rollups"."dim" = 'org';--> statement-breakpoint
CREATE INDEX "cases_place_category_idx" ON "cases" USING btree ("area_id","category_id","created_at");--> statement-breakpoint
-- Working days d with day(a) < d <= day(b), China time, on the calendar (calendar_days overrides Monday–Friday).
CREATE FUNCTION fq_working_days(a timestamptz, b timestamptz) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT count(*)::integer
  FROM generate_series(((a AT TIME ZONE 'UTC') + interval '8 hours')::date + 1, ((b AT TIME ZONE 'UTC') + interval '8 hours')::date, interval '1 day') AS g(d)
  LEFT JOIN calendar_days k ON k.day = to_char(g.d, 'YYYY-MM-DD')
  WHERE coalesce(k.kind = 'workday', extract(isodow FROM g.d) < 6)
$$;
--> statement-breakpoint
-- A case's facts: the rollups' key and its counters (docs/command-center.md defines each; contracts' RollupCounters names them).
CREATE TYPE fq_case_fact AS (
  day date, area_id integer, area_path text, channel text, category_id integer, tier text, status text, org_id integer,
  n integer, merged integer, rejected integer, open integer, overdue integer, supervised integer,
  contact_met integer, contact_missed integer, handle_met integer, handle_missed integer,
  replied integer, rated integer, satisfied integer, closed integer, closed_first integer, reopened integer, repeated integer,
  handle_working_days integer
);
--> statement-breakpoint
CREATE FUNCTION fq_case_facts(c cases) RETURNS fq_case_fact LANGUAGE sql STABLE AS $$
  SELECT ROW(
    ((c.created_at AT TIME ZONE 'UTC') + interval '8 hours')::date,
    c.area_id,
    c.area_path,
    c.channel,
    c.category_id,
    coalesce(c.tier, ''),
    c.status,
    coalesce(c.assignee_org_id, 0),
    1,
    coalesce((c.status = 'merged'), false)::int,
    coalesce((c.status = 'rejected'), false)::int,
    coalesce((c.status IN ('pending_acceptance','pending_dispatch','pending_signoff','in_progress','suspended','ruling','replied')), false)::int,
    coalesce((c.status IN ('pending_acceptance','pending_dispatch','pending_signoff','in_progress','ruling','replied') AND c.warnings && ARRAY['contact_overdue','handle_overdue','reply_overdue']::text[]), false)::int,
    coalesce((c.status IN ('pending_acceptance','pending_dispatch','pending_signoff','in_progress','suspended','ruling','replied') AND c.supervision_level IS NOT NULL), false)::int,
    coalesce((c.status <> 'merged' AND c.contact_due_at IS NOT NULL AND c.contacted_at IS NOT NULL AND c.contacted_at <= c.contact_due_at), false)::int,
    coalesce((c.status <> 'merged' AND c.contact_due_at IS NOT NULL AND (c.contacted_at > c.contact_due_at OR (c.contacted_at IS NULL AND 'contact_overdue' = ANY (c.warnings)))), false)::int,
    coalesce((c.status <> 'merged' AND c.handle_due_at IS NOT NULL AND c.replied_at IS NOT NULL AND c.replied_at <= c.handle_due_at), false)::int,
    coalesce((c.status <> 'merged' AND c.handle_due_at IS NOT NULL AND (c.replied_at > c.handle_due_at OR (c.replied_at IS NULL AND 'handle_overdue' = ANY (c.warnings)))), false)::int,
    coalesce((c.status <> 'merged' AND c.replied_at IS NOT NULL), false)::int,
    coalesce((c.status <> 'merged' AND c.visit_result IN ('satisfied','basically_satisfied','unsatisfied')), false)::int,
    coalesce((c.status <> 'merged' AND c.visit_result IN ('satisfied','basically_satisfied')), false)::int,
    coalesce((c.status IN ('closed','archived')), false)::int,
    coalesce((c.status IN ('closed','archived') AND c.reopen_count = 0), false)::int,
    coalesce((c.reopen_count > 0), false)::int,
    coalesce((c.repeat_of IS NOT NULL), false)::int,
    CASE WHEN c.status <> 'merged' AND c.replied_at IS NOT NULL AND c.accepted_at IS NOT NULL THEN fq_working_days(c.accepted_at, c.replied_at) ELSE 0 END
  )::fq_case_fact
$$;
--> statement-breakpoint
-- 重复诉求: the latest earlier case within 30 days from the same reporter or at the same place in the same category.
CREATE FUNCTION fq_cases_repeat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.id INTO NEW.repeat_of FROM cases p
  WHERE p.created_at >= NEW.created_at - interval '30 days' AND p.created_at < NEW.created_at
    AND ((NEW.reporter_phone_bidx IS NOT NULL AND p.reporter_phone_bidx = NEW.reporter_phone_bidx)
      OR (p.area_id = NEW.area_id AND p.category_id = NEW.category_id))
  ORDER BY p.created_at DESC LIMIT 1;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cases_repeat BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION fq_cases_repeat();
--> statement-breakpoint
-- New cases: +1 of their facts into the queue, once per statement (a batch of intakes is one insert).
CREATE FUNCTION fq_cases_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_queue (sign, day, area_id, area_path, channel, category_id, tier, status, org_id, n, merged, rejected, open, overdue, supervised,
    contact_met, contact_missed, handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
  SELECT 1, (f).* FROM (SELECT fq_case_facts(r) AS f FROM new_rows r) x;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cases_rollup_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fq_cases_rollup_insert();
--> statement-breakpoint
-- Changed cases: −1 of the old facts and +1 of the new, only when a fact moved.
CREATE FUNCTION fq_cases_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO rollup_queue (sign, day, area_id, area_path, channel, category_id, tier, status, org_id, n, merged, rejected, open, overdue, supervised,
    contact_met, contact_missed, handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
  SELECT s.sign, (s.f).* FROM (
    SELECT o.id, fq_case_facts(o) AS fo, fq_case_facts(n) AS fn FROM old_rows o JOIN new_rows n ON n.id = o.id
  ) ch CROSS JOIN LATERAL (VALUES (-1::smallint, ch.fo), (1::smallint, ch.fn)) AS s(sign, f)
  WHERE ch.fo IS DISTINCT FROM ch.fn;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER cases_rollup_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fq_cases_rollup_update();
--> statement-breakpoint
-- Cases already there: their facts queued once; the rollup worker folds them in.
INSERT INTO rollup_queue (sign, day, area_id, area_path, channel, category_id, tier, status, org_id, n, merged, rejected, open, overdue, supervised,
  contact_met, contact_missed, handle_met, handle_missed, replied, rated, satisfied, closed, closed_first, reopened, repeated, handle_working_days)
SELECT 1, (f).* FROM (SELECT fq_case_facts(c) AS f FROM cases c) x;
