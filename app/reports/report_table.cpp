#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/reports/report_formats.hpp"
#include "app/summary.hpp"

namespace runner {

void print_report_table(const BenchmarkResults& in, int verbosity) {
  const BenchmarkRecord& b = in.bench;
  spdlog::info("benchmark {}{} {}: started {}{}", b.id, b.name.empty() ? "" : " (" + b.name + ")", b.status,
               b.started_at, b.finished_at.empty() ? "" : ", finished " + b.finished_at);
  if (!b.rescored_from.empty()) spdlog::info("a re-score of benchmark {}", b.rescored_from);
  print_summary(in.reports, iterations_of(b), std::max(1, verbosity));
}

}  // namespace runner
