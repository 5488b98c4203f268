-- An alert names the appliance it is about, so lists join to its current hostname (never a foreign key: the
-- alert outlives a removed appliance).
ALTER TABLE "notifications" ADD COLUMN "appliance_id" TEXT;

-- The alerts list filters by partner and read state and sorts by time.
CREATE INDEX "notifications_partner_id_read_at_created_at_idx" ON "notifications"("partner_id", "read_at", "created_at");
