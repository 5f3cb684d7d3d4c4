#pragma once
// How the platform itself behaved in one job, as the runner saw it: how long the
// ticket waited for the job to be picked up, how long the pickup waited for the first
// task, how long from the first task to the end, and how long a cancel took to be
// acknowledged. No peer measures the platform; these show whether a slow benchmark is
// the agent or the queue in front of it.
//
// The runner observes by polling: a change first seen at one look happened after the
// look before it. `resolution_ms` is the longest such gap over the changes seen, the
// most any measure can be late. Two changes first seen at the same look have no span
// between them (null: it was shorter than the resolution). Stored per iteration in
// the report's `platform` column (docs/database.md).
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
  // Any answer of the platform at `ms` (a ticket read, a job search, a job read).
  void looked(std::uint64_t ms);
  // The job was just found (by a search that had not found it at the look before):
  // the first read of it is bounded by the look before that search, not by the search.
  void job_appeared();
  // What a job read at `ms` (a look: looked(ms) came first) showed. Picked up: the job
  // is in progress, has a task, or ended completed/failed (a job cancelled in the queue
  // never was).
  void observed(const JobSnapshot& job, std::uint64_t ms);
  // The cancel was sent, and its answer came (any answer: the engine's acknowledgement).
  void cancel_sent(std::uint64_t ms);
  void cancel_answered(std::uint64_t ms);
  // {"ticket_to_pickup_ms", "pickup_to_first_task_ms", "first_task_to_terminal_ms",
  //  "ticket_to_terminal_ms", "cancel_latency_ms", "resolution_ms"}: a measure whose
  // events were not both seen is null. "" when no ticket was created.
  std::string json() const;

 private:
  void seen(std::optional<std::uint64_t>& at, std::uint64_t ms);
  std::optional<std::uint64_t> ticket_, pickup_, first_task_, terminal_, cancel_sent_, cancel_answered_;
  std::uint64_t previous_look_ = 0, last_look_ = 0;  // the last two looks
  bool hold_previous_ = false;                       // job_appeared: keep previous_look_ once
  std::uint64_t resolution_ms_ = 0;
};

// Medians per scenario of each measure over the iterations that have it.
struct PlatformMedians {
  std::string key;
  std::optional<double> ticket_to_pickup_ms, pickup_to_first_task_ms, first_task_to_terminal_ms, cancel_latency_ms;
};
std::vector<PlatformMedians> platform_medians(const std::vector<ScenarioReport>& reports);

}  // namespace runner
