#include "app/commands/rescore.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <cmath>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/db/platform_store.hpp"
#include "adapters/db/report_store.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/git/git_source.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/scenarios/selection.hpp"
#include "app/commands/command_support.hpp"
#include "app/scenario_source.hpp"
#include "core/guards.hpp"
#include "core/iteration.hpp"
#include "core/run_name.hpp"
#include "core/trajectory.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

struct Rescored {
  const ScenarioReport* old = nullptr;
  ScenarioReport now;   // the new verdict (a copy of the old when it is kept)
  std::string note;     // why it was kept as it was ("" = judged again)
};

std::string score(const std::optional<double>& c) { return c ? fmt::format("{:.0f}%", *c) : "-"; }

// JSON null for an absent value (no compliance, no note), the value otherwise.
nlohmann::json or_null(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }
nlohmann::json or_null(const std::string& v) { return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v); }

// A different verdict or compliance (rows stored before full precision held 6 decimals).
bool changed(const Rescored& r) {
  const auto& a = r.old->compliance_score;
  const auto& b = r.now.compliance_score;
  return r.now.status != r.old->status || a.has_value() != b.has_value() || (a && std::abs(*a - *b) > 1e-4);
}

// One stored iteration judged again; `note` says why it could not be.
Rescored rescore(const ScenarioReport& old, const std::map<std::string, const Scenario*>& scenarios) {
  Rescored out{&old, old, ""};
  if (old.status == IterationStatus::error) {
    out.note = "an error has no verdict to re-score";
    return out;
  }
  auto s = scenarios.find(old.scenario_key);
  if (s == scenarios.end()) {
    out.note = "the scenario is not in the scenarios source any more";
    return out;
  }
  if (old.trajectory_json.find("\"truncated\"") != std::string::npos) {
    // Cut strings could flip a rule (a negated pattern on a cut command): no new verdict.
    out.note = "the stored trajectory was truncated (over 1 MiB)";
    return out;
  }
  auto job = trajectory_job(old.trajectory_json);
  if (!job) {
    out.note = old.trajectory_json.empty() ? "no trajectory was stored (a run before migration 0007)"
                                           : "the stored trajectory holds no readable job";
    return out;
  }
  ExecuteOutcome o;
  o.ticket_id = old.ticket_id;
  o.job_id = old.job_id;
  // What was measured in the run stays: the kill's recovery and the platform's timings.
  o.chaos_json = old.chaos_json;
  o.platform_json = old.platform_json;
  o.job = std::move(*job);
  o.trajectory_json = old.trajectory_json;
  // The guards are rules too: the current allowedAgents/allowedHosts judge the stored job.
  const auto& v = s->second->validation;
  if (auto why = guard_violation(v.allowed_agents, v.allowed_hosts, o.job); !why.empty()) {
    o.guard_violation = true;
    o.guard_detail = why;
  }
  const Judgement j = judge(*s->second, o);
  if (old.validate_playbook == "passed")
    record_verdict(out.now, o, j, PlaybookOutcome{true, 0, false, 0});
  else if (old.validate_playbook == "failed")
    record_verdict(out.now, o, j, std::nullopt, "as stored by the original run");
  else
    record_verdict(out.now, o, j, std::nullopt);
  return out;
}

void print_table(const std::vector<Rescored>& list) {
  std::size_t w = 8;
  for (const auto& r : list) w = std::max(w, r.old->scenario_key.size());
  spdlog::info("{:<{}}  {:>3}  {:<7} {:<7} {:>5} {:>5}  {}", "SCENARIO", w, "IT", "BEFORE", "NOW", "BEF.", "NOW", "NOTE");
  for (const auto& r : list) {
    const bool differs = changed(r);
    spdlog::info("{:<{}}  {:>3}  {:<7} {:<7} {:>5} {:>5}  {}", r.old->scenario_key, w, r.old->iteration,
                 to_string(r.old->status), to_string(r.now.status), score(r.old->compliance_score),
                 score(r.now.compliance_score),
                 !r.note.empty() ? "kept: " + r.note : differs ? (r.now.error_message.empty() ? "changed" : "changed: " + r.now.error_message) : "");
  }
}

}  // namespace

int rescore_benchmark(const ValidateOptions& opts, const Config& cfg) {
  if (!cfg.has("DATABASE_URL")) {
    spdlog::error("--benchmark needs DATABASE_URL (the stored benchmark is read from it)");
    return exit_code::usage;
  }
  const std::string url = cfg.get("DATABASE_URL");
  try {
    BenchmarkReader db(url, cfg.get("ORG_ID"));
    const BenchmarkLookup found = db.find(*opts.benchmark);
    if (!found.benchmark) {
      spdlog::error("--benchmark: {}", found.error);
      return exit_code::usage;
    }
    const BenchmarkRecord& base = *found.benchmark;
    const ScenarioRoot root = resolve_scenario_root(opts.common.source, opts.common.scenarios_path, cfg);
    Catalog catalog = load_catalog(root.root);
    print_catalog_problems(catalog);
    std::map<std::string, const Scenario*> scenarios;
    for (const auto& s : catalog.scenarios) scenarios[s.key] = &s;
    // -s selects among the benchmark's own scenarios (by key, tag or key glob), so a
    // scenario since removed from the source can still be named; an item that names
    // none of them is an error, never "all".
    const auto stored_keys = db.stored_scenarios(base.id);
    if (stored_keys.empty()) {
      spdlog::error("--benchmark: benchmark {} has no reports to re-score", base.id);
      return exit_code::usage;
    }
    std::vector<std::string> wanted;
    for (const auto& item : split_selection(opts.scenarios)) {
      bool any = false;
      for (const auto& [key, tags] : stored_keys) {
        const bool hit = selection_item_matches(item, key, tags);
        if (hit && std::find(wanted.begin(), wanted.end(), key) == wanted.end()) wanted.push_back(key);
        any |= hit;
      }
      if (!any) {
        spdlog::error("-s: '{}' matches no scenario of benchmark {}", item, base.id);
        return exit_code::usage;
      }
    }
    if (base.status == "running" && PlatformStore(url).run_alive(base.id)) {
      spdlog::error("--benchmark: benchmark {} is still running; re-score it once it ended", base.id);
      return exit_code::usage;
    }

    const std::vector<ScenarioReport> stored = db.reports(base.id, wanted);
    std::vector<Rescored> list;
    for (const auto& r : stored) list.push_back(rescore(r, scenarios));

    std::size_t changes = 0, kept = 0;
    for (const auto& r : list) {
      if (!r.note.empty()) ++kept;
      if (changed(r)) ++changes;
    }
    std::string written;
    if (opts.write) {
      BenchmarkRecord b = base;
      b.id = new_benchmark_id();
      b.name = generated_run_name(b.id);  // a name of its own: the run's name keeps naming the run
      b.rescored_from = base.id;
      b.status = "running";
      b.started_at = engine_api::iso8601(std::chrono::system_clock::now());
      b.finished_at.clear();
      b.scenarios_commit = root.commit;
      auto options = nlohmann::json::parse(base.options_json, nullptr, false);
      if (!options.is_object()) options = nlohmann::json::object();
      options["rescored_from"] = base.id;
      b.options_json = json_dump(options);
      std::vector<ScenarioReport> rows;
      for (auto& r : list) {
        r.now.benchmark_id = b.id;
        rows.push_back(r.now);
      }
      try {  // all or nothing: one transaction, never a half-written benchmark
        ReportStore(url).store_whole(b, rows, base.status,  // the run's own end (completed, interrupted, ...)
                                     engine_api::iso8601(std::chrono::system_clock::now()));
      } catch (const DbError& e) {
        spdlog::error("storing the re-score failed, nothing was stored: {}", e.what());
        return exit_code::infrastructure;
      }
      written = b.id;
    }
    if (opts.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : list)
        out.push_back({{"scenario_key", r.old->scenario_key},
                       {"iteration", r.old->iteration},
                       {"before", {{"status", to_string(r.old->status)}, {"compliance", or_null(r.old->compliance_score)}}},
                       {"now", {{"status", to_string(r.now.status)}, {"compliance", or_null(r.now.compliance_score)}, {"reason", r.now.error_message}}},
                       {"kept", or_null(r.note)}});
      spdlog::info("{}", json_dump(nlohmann::json{{"benchmark", base.id},
                                                  {"iterations", out},
                                                  {"changed", changes},
                                                  {"written", or_null(written)}}));
    } else {
      spdlog::info("re-scoring benchmark {} ({}, {} iteration(s)) with the rules of {}", base.id, base.started_at,
                   list.size(), root.root);
      print_table(list);
      spdlog::info("{} of {} verdict(s) changed; {} kept as stored{}", changes, list.size(), kept,
                   written.empty() ? " (--write stores them as a new benchmark)" : "; stored as benchmark " + written);
    }
    return exit_code::success;
  } catch (const DbError& e) {
    spdlog::error("{}", e.what());
    return exit_code::preflight;
  } catch (const GitSourceError& e) {
    spdlog::error("{}", e.what());
    return exit_code::preflight;
  }
}

}  // namespace runner
