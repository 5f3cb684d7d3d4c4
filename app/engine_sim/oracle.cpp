#include "app/engine_sim/oracle.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/ansible/inventory.hpp"
#include "adapters/ansible/playbook_runner.hpp"
#include "adapters/db/platform_store.hpp"
#include "core/playbook_vars.hpp"

namespace fs = std::filesystem;

namespace runner::sim {
namespace {

std::vector<HostRow> load_hosts(const std::string& url, const TicketSpec& spec, const Scenario& scenario) {
  if (url.empty() || spec.host_ids.empty()) return {};
  std::vector<HostRow> rows = PlatformStore(url).hosts(spec.host_ids);
  for (auto& h : rows)
    for (const auto& hs : scenario.hosts)
      if (hs.host_id == h.id && !hs.host_name.empty()) h.inventory_name = hs.host_name;
  return rows;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Oracle::Oracle(std::string database_url, std::string work_dir)
    : database_url_(std::move(database_url)), work_dir_(std::move(work_dir)) {}

JobSnapshot Oracle::resolve(const JobSnapshot& in, const TicketSpec& spec, const Scenario* scenario) const {
  JobSnapshot job = in;
  job.status = "completed";
  for (auto& t : job.tasks) t.status = "completed";
  if (!scenario) {
    job.resolution_status = "no_action";
    job.resolution = "Unknown scenario '" + spec.scenario_key + "': nothing to do.";
    return job;
  }
  const fs::path dir = scenario->dir;
  std::vector<std::string> commands;
  if (fs::exists(dir / "solution.yml")) {
    const fs::path work = fs::path(work_dir_) / job.id;
    fs::create_directories(work);
    std::string inventory;
    if (!scenario->playbooks.inventory.empty()) {
      inventory = (dir / scenario->playbooks.inventory).string();
    } else {
      std::vector<HostRow> hosts;
      try {
        hosts = load_hosts(database_url_, spec, *scenario);
      } catch (const std::exception& e) {
        spdlog::warn("oracle: cannot read hosts: {}", e.what());
      }
      if (hosts.empty()) {
        HostRow local;
        local.name = "localhost";
        local.connection = "local";
        hosts.push_back(local);
      }
      inventory = (work / "inventory.yml").string();
      std::ofstream(inventory) << inventory_json(hosts);
    }
    PlaybookRun run;
    run.playbook = (dir / "solution.yml").string();
    run.inventory = inventory;
    run.workdir = dir.string();
    run.log_path = (work / "oracle.log").string();
    run.capture_json = true;
    run.timeout = std::chrono::seconds(300);
    // The scenario playbooks' contract (core/playbook_vars), as the engine's own agent.
    run.extra_vars_json =
        playbook_extra_vars({spec.scenario_key, dir.string(), spec.iteration, spec.benchmark_id, "oracle", "solution"});
    PlaybookResult res = run_playbook(run);
    AnsibleJsonSummary summary = summarize_ansible_json(res.json);
    commands = summary.commands;
    std::string plays;
    for (const auto& p : summary.plays) plays += (plays.empty() ? "" : "; ") + p;
    if (!job.tasks.empty()) {
      job.tasks[0].executed_commands = commands;
      job.tasks[0].summary = plays;
      job.tasks[0].plan = "Run: " + plays;
    }
    job.resolution_status = res.ok() ? "success" : "agentic_failure";
    job.resolution = res.ok() ? "Resolved: " + plays : "The remediation failed: " + plays;
    if (!res.ok())
      for (auto& t : job.tasks) t.status = "failed";
  } else {
    job.resolution_status = "no_action";
    job.resolution = "No remediation known for this scenario.";
  }
  job.tokens.prompt = 400 + 120 * static_cast<std::int64_t>(commands.size());
  job.tokens.completion = 150 + 40 * static_cast<std::int64_t>(commands.size());
  job.tokens.total = job.tokens.prompt + job.tokens.completion;
  if (fs::exists(dir / "solution.json")) merge_solution_json(job, read_text(dir / "solution.json"));
  return job;
}

void merge_solution_json(JobSnapshot& job, const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(json).get(o) != simdjson::SUCCESS) {
    spdlog::warn("oracle: solution.json is not a JSON object; ignored");
    return;
  }
  auto str = [&](const char* key, std::string& target) {
    std::string_view v;
    if (o[key].get(v) == simdjson::SUCCESS) target = std::string(v);
  };
  auto append = [&](const char* key, std::vector<std::string>& target) {
    simdjson::dom::array arr;
    if (o[key].get(arr) != simdjson::SUCCESS) return;
    for (auto e : arr) {
      std::string_view v;
      if (e.get(v) == simdjson::SUCCESS) target.emplace_back(v);
    }
  };
  str("resolution_status", job.resolution_status);
  str("job_resolution", job.resolution);
  str("job_plan", job.plan);
  int64_t count = 0;
  if (o["task_count"].get(count) == simdjson::SUCCESS && count >= 0) {
    while (static_cast<int64_t>(job.tasks.size()) < count) {
      TaskSnapshot t = job.tasks.empty() ? TaskSnapshot{} : job.tasks.back();
      t.id = job.id + "_task_" + std::to_string(job.tasks.size() + 1);
      t.executed_commands.clear();
      job.tasks.push_back(t);
    }
    job.tasks.resize(static_cast<std::size_t>(count));
  }
  for (auto& t : job.tasks) {
    str("task_summary", t.summary);
    str("task_plan", t.plan);
    str("task_description", t.description);
    append("agent_messages", t.agent_messages);
    append("operational_rules", t.operational_rules);
    append("executed_commands", t.executed_commands);
  }
  str("gateway_summary", job.gateway_summary);
  append("gateway_messages", job.gateway_messages);
  simdjson::dom::object tokens;
  if (o["tokens"].get(tokens) == simdjson::SUCCESS) {
    int64_t v;
    if (tokens["prompt"].get(v) == simdjson::SUCCESS) job.tokens.prompt = v;
    if (tokens["completion"].get(v) == simdjson::SUCCESS) job.tokens.completion = v;
    if (tokens["total"].get(v) == simdjson::SUCCESS) job.tokens.total = v;
  }
}

}  // namespace runner::sim
