#include "core/platform_timings.hpp"

#include <nlohmann/json.hpp>

#include <map>

#include "core/result_stats.hpp"

namespace runner {
namespace {

// The time between two changes; null when one was not seen, or when both were first
// seen at the same look (their order and gap are unknown).
nlohmann::ordered_json span(const std::optional<std::uint64_t>& from, const std::optional<std::uint64_t>& to) {
  if (!from || !to || *to <= *from) return nullptr;
  return *to - *from;
}

}  // namespace

void PlatformClock::seen(std::optional<std::uint64_t>& at, std::uint64_t ms) {
  if (at) return;
  at = ms;
  // It happened after the look before this one (or the ticket, if later).
  const std::uint64_t since = std::max(previous_look_, ticket_.value_or(0));
  resolution_ms_ = std::max(resolution_ms_, ms > since ? ms - since : 0);
}

void PlatformClock::ticket_created(std::uint64_t ms) {
  if (!ticket_) ticket_ = ms;
}

void PlatformClock::looked(std::uint64_t ms) {
  if (!hold_previous_) previous_look_ = last_look_;
  hold_previous_ = false;
  last_look_ = ms;
}

void PlatformClock::job_appeared() { hold_previous_ = true; }

void PlatformClock::observed(const JobSnapshot& job, std::uint64_t ms) {
  const bool ran = job.status == "in_progress" || !job.tasks.empty() || job.status == "completed" || job.status == "failed";
  if (ran) seen(pickup_, ms);
  if (!job.tasks.empty()) seen(first_task_, ms);
  if (job.terminal()) seen(terminal_, ms);
}

void PlatformClock::cancel_sent(std::uint64_t ms) {
  if (!cancel_sent_) cancel_sent_ = ms;
}

void PlatformClock::cancel_answered(std::uint64_t ms) {
  if (cancel_sent_ && !cancel_answered_) cancel_answered_ = ms;
}

std::string PlatformClock::json() const {
  if (!ticket_) return "";
  const nlohmann::ordered_json o = {{"ticket_to_pickup_ms", span(ticket_, pickup_)},
                                    {"pickup_to_first_task_ms", span(pickup_, first_task_)},
                                    {"first_task_to_terminal_ms", span(first_task_, terminal_)},
                                    {"ticket_to_terminal_ms", span(ticket_, terminal_)},
                                    {"cancel_latency_ms", span(cancel_sent_, cancel_answered_)},
                                    {"resolution_ms", resolution_ms_}};
  return o.dump();
}

std::vector<PlatformMedians> platform_medians(const std::vector<ScenarioReport>& reports) {
  std::map<std::string, std::map<std::string, std::vector<std::int64_t>>> values;
  static const char* measures[] = {"ticket_to_pickup_ms", "pickup_to_first_task_ms", "first_task_to_terminal_ms",
                                   "cancel_latency_ms"};
  for (const auto& r : reports) {
    auto& per_key = values[r.scenario_key];
    if (r.platform_json.empty()) continue;
    auto o = nlohmann::json::parse(r.platform_json, nullptr, false);
    if (!o.is_object()) continue;
    for (const char* m : measures)
      if (o.contains(m) && o[m].is_number_integer()) per_key[m].push_back(o[m].get<std::int64_t>());
  }
  std::vector<PlatformMedians> out;
  for (const auto& [key, per] : values) {
    PlatformMedians p;
    p.key = key;
    auto median = [&](const char* m) -> std::optional<double> {
      auto it = per.find(m);
      if (it == per.end() || it->second.empty()) return std::nullopt;
      return percentile(it->second, 0.5);
    };
    p.ticket_to_pickup_ms = median(measures[0]);
    p.pickup_to_first_task_ms = median(measures[1]);
    p.first_task_to_terminal_ms = median(measures[2]);
    p.cancel_latency_ms = median(measures[3]);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace runner
