#include "core/chaos.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "adapters/json/json_text.hpp"

namespace runner {
namespace {

// What counts as progress: the job's status, or any task's id, status or commands.
bool same_progress(const std::vector<TaskSnapshot>& a, const std::vector<TaskSnapshot>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].id != b[i].id || a[i].status != b[i].status || a[i].executed_commands.size() != b[i].executed_commands.size())
      return false;
  return true;
}

}  // namespace

bool ChaosProbe::due(const JobSnapshot& job) const {
  if (kill_ms_ || started_ || job.terminal()) return false;
  for (const auto& t : job.tasks)
    if (t.status == "in_progress") return true;
  return false;
}

void ChaosProbe::kill_started(const JobSnapshot& job, std::uint64_t at_ms) {
  started_ = true;
  started_ms_ = at_ms;
  at_kill_ = job.tasks;
  status_at_kill_ = job.status;
}

void ChaosProbe::killed(const JobSnapshot& job, std::uint64_t at_ms, std::string outcome, std::string by) {
  kill_outcome_ = std::move(outcome);
  kill_by_ = std::move(by);
  if (started_) {  // a command: counted from its start, against the job then
    kill_ms_ = started_ms_;
    returned_ms_ = at_ms;
    return;
  }
  kill_ms_ = at_ms;
  at_kill_ = job.tasks;
  status_at_kill_ = job.status;
}

void ChaosProbe::kill_late(std::string reason, std::string outcome) {
  late_reason_ = std::move(reason);
  kill_outcome_ = std::move(outcome);
  kill_by_ = "command";
}

void ChaosProbe::observed(const JobSnapshot& job, std::uint64_t at_ms) {
  if (!kill_ms_ || progress_ms_) return;
  if (job.status != status_at_kill_ || !same_progress(job.tasks, at_kill_)) progress_ms_ = at_ms - *kill_ms_;
}

std::string ChaosProbe::json(const JobSnapshot& last) const {
  if (!kill_ms_) {
    if (!started_) return json_dump(nlohmann::json{{"killed", false}, {"reason", "the job had no task in progress to kill it in"}});
    return json_dump(nlohmann::json{
        {"killed", false},
        {"kill_by", "command"},
        {"kill", kill_outcome_.empty() ? nlohmann::json(nullptr) : nlohmann::json(kill_outcome_)},
        {"reason", late_reason_.empty() ? "the execute ended before the kill command returned" : late_reason_}});
  }
  // Lost: a task in progress at the kill that the job no longer has or that did not
  // complete (its work went with the engine). Done twice: a task that appeared after
  // the kill with the description of one at the kill.
  std::map<std::string, std::string> status_at_end;
  for (const auto& t : last.tasks) status_at_end[t.id] = t.status;
  nlohmann::json lost = nlohmann::json::array(), duplicate = nlohmann::json::array();
  std::set<std::string> ids_at_kill, descriptions_at_kill;
  for (const auto& t : at_kill_) {
    ids_at_kill.insert(t.id);
    descriptions_at_kill.insert(t.description);
    auto end = status_at_end.find(t.id);
    if (t.status == "in_progress" && (end == status_at_end.end() || end->second != "completed")) lost.push_back(t.id);
  }
  for (const auto& t : last.tasks)
    if (!ids_at_kill.count(t.id) && descriptions_at_kill.count(t.description)) duplicate.push_back(t.id);
  const bool recovered = last.terminal() && last.status == "completed";
  return json_dump(nlohmann::json{{"killed", kill_outcome_ == "ok"},
                                  {"kill", kill_outcome_},
                                  {"kill_by", kill_by_},
                                  {"kill_at_ms", *kill_ms_},
                                  {"kill_returned_ms", returned_ms_ ? nlohmann::json(*returned_ms_) : nlohmann::json(nullptr)},
                                  {"recovered", recovered},
                                  {"final_status", last.status},
                                  {"time_to_progress_ms", progress_ms_ ? nlohmann::json(*progress_ms_) : nlohmann::json(nullptr)},
                                  {"tasks_at_kill", at_kill_.size()},
                                  {"tasks_at_end", last.tasks.size()},
                                  {"lost_tasks", lost},
                                  {"duplicate_tasks", duplicate}});
}

}  // namespace runner
