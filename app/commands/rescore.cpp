#include "app/commands/rescore.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/db/report_store.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/git/git_source.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/scenarios/selection.hpp"
#include "app/commands/command_support.hpp"
#include "app/scenario_source.hpp"
#include "core/iteration.hpp"
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
  auto job = trajectory_job(old.trajectory_json);
  if (!job) {
    out.note = old.trajectory_json.empty() ? "no trajectory was stored (a run before migration 0007)"
                                           : "the stored trajectory holds no readable job";
    return out;
  }
  ExecuteOutcome o;
  o.ticket_id = old.ticket_id;
  o.job_id = old.job_id;
  o.job = std::move(*job);
  o.trajectory_json = old.trajectory_json;
  if (old.error_kind == "guard") {  // a guard is a fact of the run, not a rule
    o.guard_violation = true;
    o.guard_detail = old.error_message.rfind("guard: ", 0) == 0 ? old.error_message.substr(7) : old.error_message;
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
    const BenchmarkLookup found = find_benchmark(url, *opts.benchmark);
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
    const auto items = split_selection(opts.scenarios);
    std::set<std::string> wanted;
    if (!items.empty())
      for (const Scenario* s : select_scenarios(catalog, items).scenarios) wanted.insert(s->key);

    const std::vector<ScenarioReport> stored = read_reports(url, base.id);
    std::vector<Rescored> list;
    for (const auto& r : stored)
      if (wanted.empty() || wanted.count(r.scenario_key)) list.push_back(rescore(r, scenarios));

    std::size_t changes = 0, kept = 0;
    for (const auto& r : list) {
      if (!r.note.empty()) ++kept;
      if (changed(r)) ++changes;
    }
    std::string written;
    if (opts.write) {
      BenchmarkRecord b = base;
      b.id = new_benchmark_id();
      b.rescored_from = base.id;
      b.status = "running";
      b.started_at = engine_api::iso8601(std::chrono::system_clock::now());
      b.finished_at.clear();
      b.scenarios_commit = root.commit;
      auto options = nlohmann::json::parse(base.options_json, nullptr, false);
      if (!options.is_object()) options = nlohmann::json::object();
      options["rescored_from"] = base.id;
      b.options_json = json_dump(options);
      ReportStore store(url);
      store.start_benchmark(b);
      for (auto& r : list) {
        r.now.benchmark_id = b.id;
        store.upsert_report(r.now);
      }
      store.finish_benchmark(b.id, "completed", engine_api::iso8601(std::chrono::system_clock::now()));
      written = b.id;
    }
    if (opts.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : list)
        out.push_back({{"scenario_key", r.old->scenario_key},
                       {"iteration", r.old->iteration},
                       {"before", {{"status", to_string(r.old->status)}, {"compliance", r.old->compliance_score ? nlohmann::json(*r.old->compliance_score) : nlohmann::json(nullptr)}}},
                       {"now", {{"status", to_string(r.now.status)}, {"compliance", r.now.compliance_score ? nlohmann::json(*r.now.compliance_score) : nlohmann::json(nullptr)}, {"reason", r.now.error_message}}},
                       {"kept", r.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.note)}});
      spdlog::info("{}", json_dump(nlohmann::json{{"benchmark", base.id},
                                                  {"iterations", out},
                                                  {"changed", changes},
                                                  {"written", written.empty() ? nlohmann::json(nullptr) : nlohmann::json(written)}}));
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
