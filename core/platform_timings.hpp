#pragma once
// How the platform itself behaved in one job, as the runner saw it: how long the
// ticket waited for the job to be picked up, how long the pickup waited for the first
// task, how long from the first task to the end, and how long a cancel took to be
// acknowledged. No peer measures the platform; these show whether a slow benchmark is
// the agent or the queue in front of it.
//
// The runner observes by polling, so a change is seen up to one poll interval late:
// each measure is an upper bound, and `resolution_ms` (the longest poll interval in
// force when a change was seen) says by how much. Stored per iteration in the report's
// `platform` column (docs/database.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/engine.hpp"
#include "messages/report.hpp"

namespace runner {

class PlatformClock {
 public:
  // The ticket was created, `ms` after the execute began.
  void ticket_created(std::uint64_t ms);
  // A read of the job at `ms`, while polling every `interval_ms`.
  void observed(const JobSnapshot& job, std::uint64_t ms, std::uint32_t interval_ms);
  // The cancel was sent, and its answer came (any answer: the engine's acknowledgement).
  void cancel_sent(std::uint64_t ms);
  void cancel_answered(std::uint64_t ms);
  // {"ticket_to_pickup_ms", "pickup_to_first_task_ms", "first_task_to_terminal_ms",
  //  "ticket_to_terminal_ms", "cancel_latency_ms", "resolution_ms"}: a measure whose
  // events were not both seen is null. "" when no ticket was created.
  std::string json() const;

 private:
  void seen(std::optional<std::uint64_t>& at, std::uint64_t ms, std::uint32_t interval_ms);
  std::optional<std::uint64_t> ticket_, pickup_, first_task_, terminal_, cancel_sent_, cancel_answered_;
  std::uint32_t resolution_ms_ = 0;
};

// Medians per scenario of each measure over the iterations that have it.
struct PlatformMedians {
  std::string key;
  std::optional<double> ticket_to_pickup_ms, pickup_to_first_task_ms, first_task_to_terminal_ms, cancel_latency_ms;
};
std::vector<PlatformMedians> platform_medians(const std::vector<ScenarioReport>& reports);

}  // namespace runner
