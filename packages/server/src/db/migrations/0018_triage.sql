CREATE TABLE "triage_feedback" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "triage_feedback_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"model_version" integer NOT NULL,
	"suggested" integer[] NOT NULL,
	"chosen" integer NOT NULL,
	"user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triage_models" (
	"version" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "triage_models_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"model" jsonb NOT NULL,
	"weights" "bytea" NOT NULL,
	"examples" integer NOT NULL,
	"evaluation" jsonb NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "triage_feedback" ADD CONSTRAINT "triage_feedback_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "triage_feedback" ADD CONSTRAINT "triage_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "triage_feedback_case_idx" ON "triage_feedback" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "triage_feedback_model_idx" ON "triage_feedback" USING btree ("model_version");--> statement-breakpoint
CREATE UNIQUE INDEX "triage_models_active_idx" ON "triage_models" USING btree ("active") WHERE "triage_models"."active";