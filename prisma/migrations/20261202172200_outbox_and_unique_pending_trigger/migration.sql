-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enqueued_at" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMP(3),
    "failed_at" TIMESTAMP(3),
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- Hand-written (Prisma cannot express partial indexes): the relay scans open rows only.
CREATE INDEX "outbox_open_idx" ON "outbox"("id") WHERE "completed_at" IS NULL AND "failed_at" IS NULL;

-- Hand-written: at most one pending flag per appliance and kind. Duplicates that check-then-insert may
-- have left are first folded into the oldest pending row (the others become completed).
UPDATE "appliance_triggers" t SET "state" = 'completed', "completed_at" = CURRENT_TIMESTAMP
FROM "appliance_triggers" o
WHERE o."appliance_id" = t."appliance_id" AND o."kind" = t."kind" AND o."state" = 'pending' AND t."state" = 'pending'
  AND (o."requested_at", o."id") < (t."requested_at", t."id");
CREATE UNIQUE INDEX "appliance_triggers_one_pending_idx" ON "appliance_triggers"("appliance_id", "kind") WHERE "state" = 'pending';
