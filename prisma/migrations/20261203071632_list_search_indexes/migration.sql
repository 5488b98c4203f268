-- Contains-search (ILIKE %text%) of the Appliances and Alerts lists reads trigram indexes instead of every row:
-- hostnames, appliance ids, clinic names, alert messages and details. Plus btree indexes for the alerts' site filter
-- and for finding the alerts of matching sites and appliances.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "appliances_hostname_trgm_idx" ON "appliances" USING GIN ("hostname" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "appliances_id_trgm_idx" ON "appliances" USING GIN ("id" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "notifications_site_id_idx" ON "notifications"("site_id");

-- CreateIndex
CREATE INDEX "notifications_appliance_id_idx" ON "notifications"("appliance_id");

-- CreateIndex
CREATE INDEX "notifications_title_trgm_idx" ON "notifications" USING GIN ("title" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "notifications_body_trgm_idx" ON "notifications" USING GIN ("body" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "sites_client_name_trgm_idx" ON "sites" USING GIN ("client_name" gin_trgm_ops);
