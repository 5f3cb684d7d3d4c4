-- VM modes: what a run leased of the RAM budget, recorded on its Benchmark:
-- {"budget_mib", "peak_mib", "peak_clones", "timeline": [[seconds, clones, mib], ...]}.
ALTER TABLE benchmarks ADD COLUMN capacity jsonb;
-- Clones' host rows are found by name when a dead run's clones are reaped.
CREATE INDEX hosts_ephemeral_name_idx ON hosts (name) WHERE ephemeral;
