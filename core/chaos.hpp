#pragma once
// `chaos` (the 0.8 resilience test): the engine is killed in the middle of each job's
// first task, and what the platform does next is measured from the job as the runner
// reads it: whether the job still reaches a terminal state, how long after the kill
// the job made progress again, and which tasks were lost or done twice. This is the
// measuring half, with no I/O; the gateway poller reads the job and fires the kill.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/engine.hpp"

namespace runner {

class ChaosProbe {
 public:
  // Is the kill due on this read: not fired yet, the job not over, a task in progress?
  bool due(const JobSnapshot& job) const;
  // The kill was sent at `at_ms` (since the execute began) with this outcome
  // ("ok" or why it failed), the job as it was read just before.
  void killed(const JobSnapshot& job, std::uint64_t at_ms, std::string outcome);
  bool fired() const { return kill_ms_.has_value(); }
  // The kill's answer: "ok", or why it failed ("HTTP 404", "no answer: ...").
  void kill_answered(std::string outcome) { kill_outcome_ = std::move(outcome); }
  // A read after the kill: the first one that differs from the job at the kill is the
  // platform's next progress.
  void observed(const JobSnapshot& job, std::uint64_t at_ms);
  // The chaos section of the report: {"killed", "kill_at_ms", "kill", "recovered",
  // "final_status", "time_to_progress_ms", "tasks_at_kill", "tasks_at_end",
  // "lost_tasks", "duplicate_tasks"}; `last` is the job at the end (empty status: never
  // read after the kill).
  std::string json(const JobSnapshot& last) const;

 private:
  std::optional<std::uint64_t> kill_ms_;
  std::string kill_outcome_;
  std::vector<TaskSnapshot> at_kill_;
  std::string status_at_kill_;
  std::optional<std::uint64_t> progress_ms_;
};

}  // namespace runner
