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
  // Is the kill due on this read: not fired or started yet, the job not over, a task
  // in progress?
  bool due(const JobSnapshot& job) const;
  // A kill command started at `at_ms` with the job as read just before (what was lost
  // or redone is counted against it): no second kill, and reads are not measured until
  // the command returns (killed()), since the engine dies somewhere in between.
  void kill_started(const JobSnapshot& job, std::uint64_t at_ms);
  // The kill was done with this outcome ("ok" or why it failed). A URL: sent at
  // `at_ms` (since the execute began), the job as read just before. A command (`by`
  // "command", after kill_started): returned at `at_ms`; the kill counts from its start.
  void killed(const JobSnapshot& job, std::uint64_t at_ms, std::string outcome, std::string by = "url");
  // The command returned after the execute was over (the job ended, a guard or the
  // deadline stopped it, an interrupt): no kill is measured; `reason` says why.
  void kill_late(std::string reason, std::string outcome);
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
  bool started_ = false;
  std::uint64_t started_ms_ = 0;
  std::optional<std::uint64_t> returned_ms_;  // a command: when it returned
  std::string late_reason_;
  std::string kill_outcome_, kill_by_;
  std::vector<TaskSnapshot> at_kill_;
  std::string status_at_kill_;
  std::optional<std::uint64_t> progress_ms_;
};

}  // namespace runner
