#include "messages/report.hpp"

namespace runner {

const char* to_string(IterationStatus s) {
  switch (s) {
    case IterationStatus::pending: return "pending";
    case IterationStatus::passed: return "passed";
    case IterationStatus::failed: return "failed";
    case IterationStatus::error: return "error";
  }
  return "error";
}

std::optional<IterationStatus> parse_iteration_status(std::string_view text) {
  for (auto s : {IterationStatus::passed, IterationStatus::failed, IterationStatus::error, IterationStatus::pending})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

}  // namespace runner
