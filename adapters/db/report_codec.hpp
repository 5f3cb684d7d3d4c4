#pragma once
// One spool line per reporter operation, as JSON: {"op":"start"|"report"|"finish", ...}.
// JSON-valued report fields are embedded as JSON, not as strings.
#include <optional>
#include <string>
#include <variant>

#include "messages/report.hpp"

namespace runner {

struct BenchmarkFinish {
  std::string benchmark_id;
  std::string status;
  std::string finished_at;
  std::string capacity_json;  // VM modes: RAM budget, peak lease, clones over time ("" = none)
};

using ReportOp = std::variant<BenchmarkRecord, ScenarioReport, BenchmarkFinish>;

std::string encode_op(const ReportOp& op);
// nullopt for a line that does not decode (for example torn by a crash mid-write).
std::optional<ReportOp> decode_op(const std::string& line);

}  // namespace runner
