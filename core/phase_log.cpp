#include "core/phase_log.hpp"

#include <nlohmann/json.hpp>

#include "adapters/engine/engine_api.hpp"
#include "adapters/json/json_text.hpp"

namespace runner {

void PhaseLog::begin(std::string name, Clock::time_point now) {
  if (open_) end("abandoned", now);
  records_.push_back({std::move(name), engine_api::iso8601(now), "", 0});
  started_ = now;
  open_ = true;
}

const PhaseRecord* PhaseLog::end(std::string outcome, Clock::time_point now) {
  if (!open_) return nullptr;
  open_ = false;
  auto& p = records_.back();
  p.outcome = std::move(outcome);
  p.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_).count();
  return &p;
}

std::string PhaseLog::json() const {
  // Ordered as they happened: nlohmann's default object would sort the names.
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& p : records_)
    out[p.name] = {{"started_at", p.started_at}, {"duration_ms", p.duration_ms}, {"outcome", p.outcome}};
  return json_dump_ordered(out);
}

}  // namespace runner
