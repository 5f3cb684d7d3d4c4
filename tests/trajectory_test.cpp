// The trajectory kept with each report: the engine's job as it was returned, capped
// without ever splitting a character, and read back as the snapshot the rules see.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/engine/engine_api.hpp"
#include "adapters/text/utf8.hpp"
#include "core/trajectory.hpp"

using namespace runner;

namespace {

JobSnapshot sample_job(const std::string& output) {
  JobSnapshot j;
  j.id = "job_1";
  j.ticket_id = "tkt_1";
  j.status = "completed";
  j.resolution_status = "success";
  j.tokens = {100, 20, 120, {}};
  TaskSnapshot t;
  t.id = "tsk_1";
  t.agent_id = "agt_demo01";
  t.host_id = "hst_demo01";
  t.status = "completed";
  t.summary = "restarted nginx";
  t.executed_commands = {"systemctl restart nginx", "journalctl -u nginx"};
  t.agent_messages = {output};
  j.tasks.push_back(t);
  return j;
}

}  // namespace

TEST_CASE("trajectory: the job is kept as the engine returned it and reads back as the same snapshot", "[trajectory]") {
  JobSnapshot job = sample_job("all good");
  const std::string body = engine_api::job_json(job);
  const std::string t = trajectory_json({"runner", body, &job, ""});
  auto doc = nlohmann::json::parse(t);
  CHECK(doc["gateway"] == "runner");
  CHECK(doc["job"] == nlohmann::json::parse(body));
  CHECK_FALSE(doc.contains("truncated"));
  CHECK_FALSE(doc.contains("ticket"));
  auto back = trajectory_job(t);
  REQUIRE(back);
  CHECK(back->tasks.size() == 1);
  CHECK(back->tasks[0].executed_commands == job.tasks[0].executed_commands);
  CHECK(back->resolution_status == "success");
  CHECK_FALSE(back->has_ticket);
  // Nothing read, nothing kept.
  CHECK(trajectory_json({"runner", "", nullptr, ""}).empty());
}

TEST_CASE("trajectory: the ServiceNow ticket's state, summary, journal and record are kept", "[trajectory]") {
  JobSnapshot job = sample_job("ok");
  job.has_ticket = true;
  job.ticket_state = "Resolved";
  job.gateway_summary = "fixed by 2501";
  job.gateway_messages = {"plan: restart", "done"};
  const std::string t =
      trajectory_json({"servicenow", engine_api::job_json(job), &job, R"({"incident":{"number":"INC0010001"}})"});
  auto doc = nlohmann::json::parse(t);
  CHECK(doc["ticket"]["record"]["incident"]["number"] == "INC0010001");
  auto back = trajectory_job(t);
  REQUIRE(back);
  CHECK(back->has_ticket);
  CHECK(back->ticket_state == "Resolved");
  CHECK(back->gateway_summary == "fixed by 2501");
  CHECK(back->gateway_messages == job.gateway_messages);
}

TEST_CASE("trajectory: a runaway output is cut to fit the cap, at a character boundary, and the cut is recorded", "[trajectory]") {
  std::string huge;
  while (huge.size() < 300'000) huge += "é€😀x";  // 2-, 3- and 4-byte characters
  JobSnapshot job = sample_job(huge);
  const std::string body = engine_api::job_json(job);
  const std::string t = trajectory_json({"runner", body, &job, ""}, 64 * 1024);
  CHECK(t.size() <= 64 * 1024);
  CHECK(utf8_valid(t));
  auto doc = nlohmann::json::parse(t);  // still one valid document
  CHECK(doc["truncated"]["original_bytes"].get<std::size_t>() > 300'000);
  CHECK(doc["truncated"]["strings_cut"].get<int>() >= 1);
  const std::string kept = doc["job"]["tasks"][0]["agent_messages"][0];
  CHECK(kept.size() < huge.size());
  CHECK(utf8_valid(kept));
  CHECK(huge.rfind(kept.substr(0, kept.size() - 3), 0) == 0);  // a prefix of the original, then "..."
  // The short fields survive whole: the commands are still there for an audit.
  CHECK(doc["job"]["tasks"][0]["executed_commands"][0] == "systemctl restart nginx");
  // And the rules still read it.
  auto back = trajectory_job(t);
  REQUIRE(back);
  CHECK(back->tasks[0].executed_commands.size() == 2);
}

TEST_CASE("trajectory: a body that is not JSON is kept as text, never dropped", "[trajectory]") {
  JobSnapshot job;
  const std::string t = trajectory_json({"runner", "<html>bad gateway\xff</html>", &job, ""});
  auto doc = nlohmann::json::parse(t);
  CHECK(doc["job"].is_string());
  CHECK(utf8_valid(t));
  CHECK_FALSE(trajectory_job(t));  // no job to re-score
}

// --- chaos: the measuring half of the resilience test ------------------------------------

#include "core/chaos.hpp"

TEST_CASE("chaos: the kill is due once, in a task, and progress, lost and doubled tasks are measured", "[trajectory][chaos]") {
  ChaosProbe probe;
  JobSnapshot job;
  job.id = "job_1";
  job.status = "in_progress";
  CHECK_FALSE(probe.due(job));  // no task yet: nothing to kill it in
  TaskSnapshot t;
  t.id = "t1";
  t.status = "in_progress";
  t.description = "fix it";
  job.tasks = {t};
  REQUIRE(probe.due(job));
  probe.killed(job, 800, "sent");
  probe.kill_answered("ok");
  CHECK_FALSE(probe.due(job));  // once
  probe.observed(job, 1200);     // unchanged: no progress yet
  JobSnapshot later = job;
  later.tasks[0].status = "failed";
  TaskSnapshot redo = t;
  redo.id = "t2";
  later.tasks.push_back(redo);
  probe.observed(later, 2900);
  later.status = "completed";
  later.tasks[1].status = "completed";
  probe.observed(later, 5000);  // the first progress counts, not this one
  auto c = nlohmann::json::parse(probe.json(later));
  CHECK(c["killed"] == true);
  CHECK(c["recovered"] == true);
  CHECK(c["time_to_progress_ms"] == 2100);
  CHECK(c["lost_tasks"] == nlohmann::json{"t1"});
  CHECK(c["duplicate_tasks"] == nlohmann::json{"t2"});

  ChaosProbe never;
  never.killed(job, 10, "sent");
  never.kill_answered("HTTP 404");
  auto n = nlohmann::json::parse(never.json(job));
  CHECK(n["killed"] == false);
  CHECK(n["recovered"] == false);
  CHECK(n["time_to_progress_ms"].is_null());
  CHECK(nlohmann::json::parse(ChaosProbe().json(job))["killed"] == false);
  CHECK(c["kill_by"] == "url");
}

TEST_CASE("chaos: a kill command counts from its start against the job then, measured once it returned", "[trajectory][chaos]") {
  JobSnapshot job;
  job.id = "job_1";
  job.status = "in_progress";
  TaskSnapshot t;
  t.id = "t1";
  t.status = "in_progress";
  t.description = "fix it";
  job.tasks = {t};
  ChaosProbe probe;
  REQUIRE(probe.due(job));
  probe.kill_started(job, 800);
  CHECK_FALSE(probe.due(job));  // one kill, even while the command still runs
  CHECK_FALSE(probe.fired());
  // The engine came back while the command ran (systemctl restart blocks until then):
  // the job as read at the return already shows the lost task and its redo.
  JobSnapshot back = job;
  back.tasks[0].status = "failed";
  TaskSnapshot redo = t;
  redo.id = "t2";
  back.tasks.push_back(redo);
  probe.observed(back, 1500);   // before the return: not measured
  probe.killed(back, 2000, "ok", "command");
  REQUIRE(probe.fired());
  probe.observed(back, 2100);   // differs from the job at the start: progress
  back.status = "completed";
  back.tasks[1].status = "completed";
  auto c = nlohmann::json::parse(probe.json(back));
  CHECK(c["kill_by"] == "command");
  CHECK(c["kill_at_ms"] == 800);
  CHECK(c["kill_returned_ms"] == 2000);
  CHECK(c["time_to_progress_ms"] == 1300);
  CHECK(c["lost_tasks"] == nlohmann::json{"t1"});      // counted against the job at the start
  CHECK(c["duplicate_tasks"] == nlohmann::json{"t2"});
  CHECK(c["recovered"] == true);

  // The execute ended while the command ran: no kill is measured, and the reason says why.
  ChaosProbe late;
  late.kill_started(job, 10);
  late.kill_late("the job ended before the kill command returned", "ok");
  auto n = nlohmann::json::parse(late.json(job));
  CHECK(n["killed"] == false);
  CHECK(n["kill"] == "ok");
  CHECK(n["reason"] == "the job ended before the kill command returned");
}
