#include "app/commands/compare_command.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/json/json_text.hpp"
#include "app/commands/command_support.hpp"
#include "app/commands/results_support.hpp"
#include "app/reports/report_output.hpp"
#include "app/summary.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

using ojson = nlohmann::ordered_json;

std::string rate(const std::optional<ScenarioStats>& s) {
  return s ? fmt::format("{}/{} ({:.0f}%)", s->passed, s->n, 100 * s->pass_rate) : "-";
}

std::string label(const BenchmarkRecord& b) { return b.name.empty() ? b.id : b.name + " (" + b.id.substr(0, 8) + ")"; }

ojson side(const std::optional<ScenarioStats>& s) {
  if (!s) return nullptr;
  return {{"iterations", s->n},
          {"passed", s->passed},
          {"pass_rate", s->pass_rate},
          {"mean_compliance", s->mean_compliance ? ojson(*s->mean_compliance) : ojson(nullptr)},
          {"median_duration_ms", s->median_ms},
          {"tokens", s->tokens}};
}

}  // namespace

void print_comparison(const std::string& base_label, const std::string& new_label,
                      const std::vector<ScenarioComparison>& rows) {
  spdlog::info("compare: base {} -> new {}", base_label, new_label);
  std::vector<std::vector<std::string>> table = {
      {"SCENARIO", "BASE", "NEW", "DIFF", "95% CI", "P", "P(DROP)", "COMPLIANCE", "MEDIAN", "TOKENS/IT", ""}};
  std::vector<std::string> only_base, only_new;
  for (const auto& c : rows) {
    if (!c.now) {
      only_base.push_back(c.key);
      continue;
    }
    if (!c.base) {
      only_new.push_back(c.key);
      continue;
    }
    table.push_back({c.key, rate(c.base), rate(c.now), fmt::format("{:+.0f}", 100 * c.difference),
                     fmt::format("[{:+.0f}, {:+.0f}]", 100 * c.ci_low, 100 * c.ci_high), fmt::format("{:.3g}", c.p_value), fmt::format("{:.3g}", c.p_drop),
                     c.compliance_delta ? fmt::format("{:+.1f}", *c.compliance_delta) : "-",
                     fmt::format("{:+.1f}s", c.median_duration_delta_ms / 1000), fmt::format("{:+.0f}", c.mean_tokens_delta),
                     c.regressed ? "REGRESSED" : ""});
  }
  print_table(table);
  if (!only_base.empty()) spdlog::info("only in base: {}", fmt::join(only_base, ", "));
  if (!only_new.empty()) spdlog::info("only in new: {}", fmt::join(only_new, ", "));
  std::size_t regressed = 0;
  for (const auto& c : rows)
    if (c.regressed) {
      ++regressed;
      spdlog::error("regression: {}: {}", c.key, c.why);
    }
  spdlog::info("{} scenario(s) compared, {} regressed", table.size() - 1, regressed);
}

int run_compare_command(const CompareOptions& opts) {
  return with_benchmark_reader(opts.common, "compare", [&](BenchmarkReader& db) {
    BenchmarkRecord sides[2];
    const std::string* specs[2] = {&opts.base, &opts.now};
    for (int i = 0; i < 2; ++i) {
      const BenchmarkLookup found = db.find(*specs[i]);
      if (!found.benchmark) {
        spdlog::error("compare: {}: {}", i == 0 ? "base" : "new", found.error);
        return exit_code::usage;
      }
      sides[i] = *found.benchmark;
    }
    GateSettings gate;
    gate.max_regression = opts.max_regression;
    const auto rows = compare_results(db.reports(sides[0].id, {}, false), db.reports(sides[1].id, {}, false), gate);
    bool regressed = false;
    for (const auto& c : rows) regressed |= c.regressed;
    if (opts.json) {
      ojson scenarios = ojson::array();
      for (const auto& c : rows) {
        ojson o = {{"key", c.key}, {"base", side(c.base)}, {"new", side(c.now)}};
        if (c.base && c.now) {
          o["difference"] = c.difference;
          o["ci95"] = {c.ci_low, c.ci_high};
          o["p_value"] = c.p_value;
          o["p_drop"] = c.p_drop;
          o["compliance_delta"] = c.compliance_delta ? ojson(*c.compliance_delta) : ojson(nullptr);
          o["median_duration_delta_ms"] = c.median_duration_delta_ms;
          o["mean_tokens_delta"] = c.mean_tokens_delta;
          o["regressed"] = c.regressed;
          o["why"] = c.regressed ? ojson(c.why) : ojson(nullptr);
        }
        scenarios.push_back(std::move(o));
      }
      const ojson doc = {{"base", sides[0].id},
                         {"new", sides[1].id},
                         {"test", "fisher-exact"},
                         {"gate", "one-sided p_drop < alpha, or a drop beyond max_regression"},
                         {"interval", "newcombe-hybrid-score-95"},
                         {"alpha", gate.alpha},
                         {"max_regression", opts.max_regression ? ojson(*opts.max_regression) : ojson(nullptr)},
                         {"regressed", regressed},
                         {"scenarios", scenarios}};
      write_report_file("-", json_dump_ordered(doc) + "\n");
    } else {
      print_comparison(label(sides[0]), label(sides[1]), rows);
    }
    return regressed ? exit_code::scenarios_failed : exit_code::success;
  });
}

}  // namespace runner
