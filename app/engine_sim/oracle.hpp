#pragma once
// The simulator's `oracle` behaviour: plays a good agent by running the scenario's
// solution.yml against its hosts (read from the database, as the platform would),
// then merges the scenario's solution.json into the job.
#include <string>

#include "messages/engine.hpp"
#include "messages/scenario.hpp"

namespace runner::sim {

class Oracle {
 public:
  Oracle(std::string database_url, std::string work_dir);
  // Blocking (runs ansible-playbook). `scenario` is null for an unknown key.
  JobSnapshot resolve(const JobSnapshot& job, const TicketSpec& spec, const Scenario* scenario) const;

 private:
  std::string database_url_;
  std::string work_dir_;
};

// Merges solution.json fields (named after the validators' where targets) into a job.
void merge_solution_json(JobSnapshot& job, const std::string& json);

}  // namespace runner::sim
