#include "app/commands/report_command.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/db/db_error.hpp"
#include "adapters/json/json_text.hpp"
#include "app/commands/command_support.hpp"
#include "app/commands/results_support.hpp"
#include "app/reports/report_formats.hpp"
#include "app/reports/report_output.hpp"
#include "app/summary.hpp"
#include "messages/exit_codes.hpp"

namespace runner {
namespace {

std::string duration_text(double s) {
  const auto total = static_cast<long long>(s + 0.5);
  if (total < 60) return fmt::format("{}s", total);
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, total / 60 % 60);
}

}  // namespace

int run_report_command(const ReportOptions& opts) {
  return with_benchmark_reader(opts.common, "report", [&](BenchmarkReader& db) {
    const BenchmarkLookup found = db.find(opts.benchmark);
    if (!found.benchmark) {
      spdlog::error("report: {}", found.error);
      return exit_code::usage;
    }
    // The HTML page shows what the agent did: it reads the trajectories too.
    BenchmarkResults results{*found.benchmark, db.reports(found.benchmark->id, {}, opts.format == "html",
                                                          html_trajectory_budget)};
    if (opts.format == "table") {
      print_report_table(results, opts.common.verbosity);
      return exit_code::success;
    }
    const std::string text = opts.format == "json"    ? report_json(results)
                             : opts.format == "junit" ? report_junit(results)
                             : opts.format == "html"  ? report_html(results)
                                                      : report_markdown(results);
    if (auto why = write_report_file(opts.output.value_or("-"), text); !why.empty()) {
      spdlog::error("report: {}", why);
      return exit_code::infrastructure;
    }
    if (opts.output && *opts.output != "-")
      spdlog::info("report: benchmark {} written to {} ({})", results.bench.id, *opts.output, opts.format);
    return exit_code::success;
  });
}

int run_runs_command(const RunsOptions& opts) {
  return with_benchmark_reader(opts.common, "runs", [&](BenchmarkReader& db) {
    const auto list = db.recent(opts.limit);
    if (opts.json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& l : list)
        out.push_back({{"id", l.bench.id},
                       {"name", l.bench.name.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(l.bench.name)},
                       {"started_at", l.bench.started_at},
                       {"finished_at", l.bench.finished_at.empty() ? nlohmann::ordered_json(nullptr)
                                                                   : nlohmann::ordered_json(l.bench.finished_at)},
                       {"status", l.bench.status},
                       {"mode", l.mode},
                       {"gateway", l.gateway},
                       {"iterations", l.total},
                       {"passed", l.passed},
                       {"failed", l.failed},
                       {"errors", l.errored},
                       {"pass_rate", l.total ? nlohmann::ordered_json(static_cast<double>(l.passed) / l.total)
                                             : nlohmann::ordered_json(nullptr)},
                       {"duration_s", l.duration_s},
                       {"rescored_from", l.bench.rescored_from.empty() ? nlohmann::ordered_json(nullptr)
                                                                       : nlohmann::ordered_json(l.bench.rescored_from)}});
      write_report_file("-", json_dump_ordered(out) + "\n");
      return exit_code::success;
    }
    if (list.empty()) {
      spdlog::info("no benchmark is stored yet");
      return exit_code::success;
    }
    std::vector<std::vector<std::string>> rows = {
        {"ID", "NAME", "STARTED", "STATUS", "MODE", "GATEWAY", "PASSED", "RATE", "DURATION"}};
    for (const auto& l : list)
      rows.push_back({l.bench.id.substr(0, 8), l.bench.name.empty() ? "-" : l.bench.name, l.bench.started_at.substr(0, 19),
                      l.bench.rescored_from.empty() ? l.bench.status : l.bench.status + " (re-score)",
                      l.mode.empty() ? "-" : l.mode, l.gateway.empty() ? "-" : l.gateway,
                      fmt::format("{}/{}", l.passed, l.total),
                      l.total ? fmt::format("{:.0f}%", 100.0 * l.passed / l.total) : "-", duration_text(l.duration_s)});
    print_table(rows);
    return exit_code::success;
  });
}

}  // namespace runner
