ALTER TABLE "sms_messages" ADD COLUMN "template" text;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "provider_message_id" text;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "status" text DEFAULT 'sent' NOT NULL;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "receipt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "receipt_code" text;--> statement-breakpoint
CREATE INDEX "sms_messages_provider_idx" ON "sms_messages" USING btree ("provider","provider_message_id");