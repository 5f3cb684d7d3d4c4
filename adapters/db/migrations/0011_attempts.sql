-- run --retries: the earlier attempts of a scenario-iteration that ended in an
-- infrastructure error and was run again ([{attempt, error_kind, error_message,
-- started_at, duration_ms}], oldest first). NULL when the first attempt is the one
-- reported.
ALTER TABLE scenario_reports ADD COLUMN attempts jsonb;
