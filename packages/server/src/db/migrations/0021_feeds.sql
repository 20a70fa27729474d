CREATE TABLE "feed_devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"place_id" integer NOT NULL,
	"area_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"category_id" integer NOT NULL,
	"open_case_id" uuid,
	"last_alarm_at" timestamp with time zone,
	"alarm_count" integer DEFAULT 0 NOT NULL,
	"episode" integer DEFAULT 0 NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feed_devices_kind_check" CHECK ("feed_devices"."kind" in ('smoke','access_control','elevator','ebike_charging','high_altitude_throwing'))
);
--> statement-breakpoint
CREATE TABLE "feed_messages" (
	"source_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" text NOT NULL,
	"case_id" uuid,
	"device_id" uuid,
	"episode" integer,
	"detail" text,
	CONSTRAINT "feed_messages_source_id_external_id_pk" PRIMARY KEY("source_id","external_id")
);
--> statement-breakpoint
CREATE TABLE "feed_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" integer NOT NULL,
	"area_path" text NOT NULL,
	"secret_enc" text NOT NULL,
	"default_category_id" integer,
	"callback_url" text,
	"alarm_window_minutes" integer DEFAULT 60 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feed_sources_kind_check" CHECK ("feed_sources"."kind" in ('hotline','police','petition','iot'))
);
--> statement-breakpoint
ALTER TABLE "feed_devices" ADD CONSTRAINT "feed_devices_source_id_feed_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."feed_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_devices" ADD CONSTRAINT "feed_devices_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_devices" ADD CONSTRAINT "feed_devices_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_devices" ADD CONSTRAINT "feed_devices_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_devices" ADD CONSTRAINT "feed_devices_open_case_id_cases_id_fk" FOREIGN KEY ("open_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_messages" ADD CONSTRAINT "feed_messages_source_id_feed_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."feed_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_messages" ADD CONSTRAINT "feed_messages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_sources" ADD CONSTRAINT "feed_sources_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_sources" ADD CONSTRAINT "feed_sources_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_sources" ADD CONSTRAINT "feed_sources_default_category_id_categories_id_fk" FOREIGN KEY ("default_category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "feed_devices_code_key" ON "feed_devices" USING btree ("source_id","code");--> statement-breakpoint
CREATE INDEX "feed_devices_area_idx" ON "feed_devices" USING btree ("area_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "feed_messages_case_idx" ON "feed_messages" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "feed_messages_episode_idx" ON "feed_messages" USING btree ("device_id","episode") WHERE "feed_messages"."case_id" is null;--> statement-breakpoint
CREATE INDEX "feed_sources_area_idx" ON "feed_sources" USING btree ("area_path" text_pattern_ops);