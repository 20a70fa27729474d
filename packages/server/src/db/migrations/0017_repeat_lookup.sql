DROP INDEX "cases_reporter_phone_idx";--> statement-breakpoint
CREATE INDEX "cases_reporter_phone_idx" ON "cases" USING btree ("reporter_phone_bidx","created_at");--> statement-breakpoint
-- 重复诉求, each test a walk back along its own index that stops at the first hit (the OR of both made a bitmap of
-- every case of a frequent reporter, sorted at each insert).
CREATE OR REPLACE FUNCTION fq_cases_repeat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.reporter_phone_bidx IS NOT NULL THEN
    SELECT p.id INTO NEW.repeat_of FROM cases p
    WHERE p.reporter_phone_bidx = NEW.reporter_phone_bidx AND p.created_at >= NEW.created_at - interval '30 days' AND p.created_at < NEW.created_at
    ORDER BY p.created_at DESC LIMIT 1;
  END IF;
  IF NEW.repeat_of IS NULL THEN
    SELECT p.id INTO NEW.repeat_of FROM cases p
    WHERE p.area_id = NEW.area_id AND p.category_id = NEW.category_id AND p.created_at >= NEW.created_at - interval '30 days' AND p.created_at < NEW.created_at
    ORDER BY p.created_at DESC LIMIT 1;
  END IF;
  RETURN NEW;
END
$$;
