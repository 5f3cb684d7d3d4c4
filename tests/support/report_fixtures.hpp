#pragma once
// A stored-looking ScenarioReport for report tests: a fixed benchmark, a title from the
// key, tokens and two phases (in jsonb's key order, not the order they ran).
#include <cstdint>
#include <string>

#include "messages/report.hpp"

namespace runner::test {

inline ScenarioReport sample_report(const std::string& key, int it, IterationStatus st, std::int64_t ms = 1000) {
  ScenarioReport r;
  r.benchmark_id = "3f2a9c1e-0000-4000-8000-000000000001";
  r.scenario_key = key;
  r.scenario_title = "Title of " + key;
  r.iteration = it;
  r.status = st;
  r.duration_ms = ms;
  r.started_at = "2026-11-28T03:00:00.123Z";
  r.finished_at = "2026-11-28T03:00:01.123Z";
  r.tokens_json = R"({"prompt":10,"completion":5,"total":15})";
  r.phases_json = R"({"execute":{"started_at":"2026-11-28T03:00:00.5Z","duration_ms":400,"outcome":"passed"},)"
                  R"("provision":{"started_at":"2026-11-28T03:00:00.1Z","duration_ms":100,"outcome":"passed"}})";
  return r;
}

}  // namespace runner::test
