#include "core/phase_log.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

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

int phase_rank(const std::string& name) {
  static const char* order[] = {"provision", "prepare", "flush", "execute", "validate", "restore", "teardown"};
  for (int i = 0; i < 7; ++i)
    if (name == order[i]) return i;
  return 7;
}

std::vector<PhaseRecord> stored_phases(const std::string& phases_json) {
  std::vector<PhaseRecord> out;
  auto phases = nlohmann::json::parse(phases_json, nullptr, false);
  if (!phases.is_object()) return out;
  for (const auto& [name, p] : phases.items()) {
    if (!p.is_object()) continue;
    PhaseRecord r{name, "", "", 0};
    if (p.contains("started_at") && p["started_at"].is_string()) r.started_at = p["started_at"].get<std::string>();
    if (p.contains("outcome") && p["outcome"].is_string()) r.outcome = p["outcome"].get<std::string>();
    // A huge number is read as a double by the parser: clamped, never cast out of range.
    if (p.contains("duration_ms") && p["duration_ms"].is_number_integer()) {
      r.duration_ms = p["duration_ms"].is_number_unsigned()
                          ? static_cast<std::int64_t>(std::min<std::uint64_t>(p["duration_ms"].get<std::uint64_t>(), INT64_MAX))
                          : p["duration_ms"].get<std::int64_t>();
    } else if (p.contains("duration_ms") && p["duration_ms"].is_number()) {
      r.duration_ms = static_cast<std::int64_t>(std::clamp(p["duration_ms"].get<double>(), -9.0e18, 9.0e18));
    }
    r.duration_ms = std::max<std::int64_t>(r.duration_ms, 0);
    out.push_back(std::move(r));
  }
  // ISO 8601 UTC times of one form sort as text.
  std::stable_sort(out.begin(), out.end(), [](const PhaseRecord& a, const PhaseRecord& b) {
    return std::make_pair(a.started_at, phase_rank(a.name)) < std::make_pair(b.started_at, phase_rank(b.name));
  });
  return out;
}

}  // namespace runner
