-- Original agent settings saved before a run's --main-engine/--secondary-engine/
-- --specialty overrides change them, so they can be restored after the scenario,
-- after an interrupt, or by the next run when this one died.
CREATE TABLE agent_overrides (
  agent_id                  uuid PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
  benchmark_id              uuid NOT NULL,
  original_main_engine      text,
  original_secondary_engine text,
  original_specialty        text,
  applied_at                timestamptz NOT NULL DEFAULT now()
);
