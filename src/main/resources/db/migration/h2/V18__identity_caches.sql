-- Each identity column hands out ids from a cache, and writing the cache's new end to the file is a transaction of
-- its own. H2 caches 32 by default, and with WRITE_DELAY=0 every such write stored all the writer's unsaved pages:
-- on the hot path (a journal entry, its queue entry, its event, the event's queue entry) that was a store every few
-- messages besides the commits. 10,000 at a time: after a crash the ids skip at most that many (ids only need to
-- increase), and a clean stop writes the last id used.
ALTER TABLE hl7_journal ALTER COLUMN id SET CACHE 10000;
ALTER TABLE hl7_rejected ALTER COLUMN id SET CACHE 10000;
ALTER TABLE care_event ALTER COLUMN id SET CACHE 10000;
ALTER TABLE work_queue ALTER COLUMN id SET CACHE 10000;
ALTER TABLE wa_outbound ALTER COLUMN id SET CACHE 10000;
ALTER TABLE wa_webhook_inbox ALTER COLUMN id SET CACHE 10000;
ALTER TABLE consent_audit ALTER COLUMN id SET CACHE 10000;
ALTER TABLE fhir_writeback ALTER COLUMN id SET CACHE 10000;
ALTER TABLE staff_queue ALTER COLUMN id SET CACHE 10000;
ALTER TABLE fhir_delivery ALTER COLUMN id SET CACHE 10000;
