-- Benchmarks get a name people can type (`run --name`, default generated): `report`,
-- `compare`, `flush` and `validate --benchmark` accept it where an ID is accepted. A
-- name may repeat (a nightly job reuses its name); it then means the newest run of it.
ALTER TABLE benchmarks ADD COLUMN name text;
CREATE INDEX benchmarks_name_started ON benchmarks (name, started_at DESC);
