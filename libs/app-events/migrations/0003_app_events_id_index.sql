-- First write wins looks an event up by its id alone, whatever its day: a bloom filter on the id
-- lets that lookup skip every granule that cannot hold it instead of reading the table.
ALTER TABLE app_events ADD INDEX IF NOT EXISTS event_id_bloom event_id TYPE bloom_filter(0.001) GRANULARITY 1;

ALTER TABLE app_events MATERIALIZE INDEX event_id_bloom;
