ALTER TABLE "notifications" ADD COLUMN "template" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "params" jsonb;--> statement-breakpoint
-- events no longer copy the reporter's personal data (it lives in the case row alone, where key rotation and masking reach it)
UPDATE "case_events" SET "payload" = jsonb_set("payload", '{patch}', ("payload"->'patch') - ARRAY['reporterNameEnc', 'reporterPhoneEnc', 'reporterPhoneBidx'])
  WHERE "payload"->'patch' ?| ARRAY['reporterNameEnc', 'reporterPhoneEnc', 'reporterPhoneBidx'];
