// core/: what one scenario-iteration builds and produces, without actors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/db/report_codec.hpp"
#include "core/guards.hpp"
#include "core/iteration.hpp"
#include "core/playbook_vars.hpp"
#include "core/retries.hpp"
#include "core/run_mode.hpp"
#include "adapters/text/utf8.hpp"

using namespace runner;
using nlohmann::json;

namespace {

RunSettings settings() {
  RunSettings run;
  run.benchmark_id = "b-1";
  run.mode = RunMode::host;
  run.gateway = GatewayKind::servicenow;
  run.organization_id = "org";
  run.tenant_id = "ten";
  run.user_id = "usr";
  run.runs_dir = "/var/runs";
  run.gateway_engine = "model-x";
  run.default_timeout_s = 120;
  run.playbook_timeout_s = 30;
  return run;
}

Scenario scenario() {
  Scenario s;
  s.key = "web/020 stopped";
  s.title = "Stopped service";
  s.dir = "/scenarios/web/020";
  s.ticket_title = "nginx is down";
  s.ticket_body = "Fix it before {{schedule_time}}";
  s.tags = {"web", "systemd"};
  s.hosts = {{"h1", "web", ""}};
  s.agents = {{"a1", "agent", "web", "h1", ""}};
  s.validation.allowed_agents = {"a1"};
  return s;
}

}  // namespace

TEST_CASE("core: the playbook extra vars are one contract for every caller", "[core]") {
  auto vars = json::parse(playbook_extra_vars({"k\"ey", "/d", 3, "b-1", "host", "prepare"}));
  CHECK(vars == json{{"scenario_key", "k\"ey"},
                     {"scenario_dir", "/d"},
                     {"iteration", 3},
                     {"benchmark_id", "b-1"},
                     {"mode", "host"},
                     {"phase", "prepare"}});
  const auto run = settings();
  const auto req = playbook_request(run, scenario(), 2, "validate", "/inv.yml", "/log");
  CHECK(req.playbook == "/scenarios/web/020/validate.yml");
  CHECK(req.timeout_s == 30);
  CHECK(json::parse(req.extra_vars_json)["phase"] == "validate");
  CHECK(json::parse(req.extra_vars_json)["mode"] == "host");
  CHECK(json::parse(req.extra_vars_json)["iteration"] == 2);
}

TEST_CASE("core: the ticket and its wait come from the run, the scenario and the hosts", "[core]") {
  Provisioned hosts;
  hosts.hosts.resize(1);
  hosts.hosts[0].id = "h1";
  hosts.agent_ids = {"a1"};
  const auto req = execute_request(settings(), scenario(), 4, hosts, SystemClock::from_time_t(0));
  CHECK(req.ticket.title == "nginx is down");
  CHECK(req.ticket.body == "Fix it before 1970-01-01T00:05:00Z");
  CHECK(req.ticket.host_ids == std::vector<std::string>{"h1"});
  CHECK(req.ticket.agent_ids == std::vector<std::string>{"a1"});
  CHECK(req.ticket.iteration == 4);
  CHECK(req.ticket.llm_model == "model-x");
  CHECK(req.timeout_ms == 120'000);
  CHECK(req.allowed_agents == std::vector<std::string>{"a1"});
}

TEST_CASE("core: host mode needs ids, and the lease names the hosts", "[core]") {
  auto s = scenario();
  CHECK(host_mode_problem(s).empty());
  auto job = ScenarioJob{std::make_shared<Scenario>(s), 2, 5000};
  const auto lease = lease_request(settings(), job);
  CHECK(lease.holder == "web/020 stopped #2");
  CHECK(lease.hosts == std::vector<std::string>{"h1"});
  CHECK(lease.expected_ms == 5000);
  s.agents[0].agent_id.clear();
  CHECK(host_mode_problem(s) == "host mode needs agent_id for agent 'agent'");
  CHECK(iteration_log_path(settings(), s, 2) == "/var/runs/b-1/web_020_stopped-2.log");
  const auto generated = inventory_place(s, "/var/runs/b-1/web_020_stopped-2.log");
  CHECK(generated.path == "/var/runs/b-1/web_020_stopped-2.inventory.yml");
  CHECK(generated.generated);
  s.playbooks.inventory = "inventory.ini";
  const auto own = inventory_place(s, "/var/runs/b-1/x-1.log");
  CHECK(own.path == "/scenarios/web/020/inventory.ini");
  CHECK_FALSE(own.generated);
}

TEST_CASE("core: the verdict", "[core]") {
  ExecuteOutcome o;
  o.ticket_id = "t";
  o.job_id = "j";
  o.job.status = "completed";
  o.job.resolution_status = "success";
  o.job.tokens = {10, 5, 15};
  auto s = scenario();
  SECTION("no rules, no validate.yml: passed with full compliance") {
    auto r = new_report(settings(), s, 1, SystemClock::now());
    CHECK(r.status == IterationStatus::pending);
    CHECK(r.gateway == "servicenow");
    record_verdict(r, o, judge(s, o), std::nullopt);
    CHECK(r.status == IterationStatus::passed);
    CHECK(r.compliance_score == 100.0);
    CHECK(r.validate_playbook == "absent");
    CHECK(r.error_kind.empty());
    CHECK(json::parse(r.tokens_json) == json{{"prompt", 10}, {"completion", 5}, {"total", 15}});
  }
  SECTION("a guard decides even when the rules pass") {
    o.guard_violation = true;
    o.guard_detail = "task 1 ran on agent x";
    auto r = new_report(settings(), s, 1, SystemClock::now());
    record_verdict(r, o, judge(s, o), PlaybookOutcome{true, 0, false, 1});
    CHECK(r.status == IterationStatus::failed);
    CHECK(r.error_message == "guard: task 1 ran on agent x");
    CHECK(r.error_kind == "guard");
  }
  SECTION("validate.yml fails or cannot run") {
    auto r = new_report(settings(), s, 1, SystemClock::now());
    record_verdict(r, o, judge(s, o), PlaybookOutcome{false, 0, true, 601});
    CHECK(r.status == IterationStatus::failed);
    CHECK(r.error_message == "validate.yml failed (timed out after 601 s)");
    CHECK(r.error_kind == "validate");
    auto r2 = new_report(settings(), s, 1, SystemClock::now());
    record_verdict(r2, o, judge(s, o), std::nullopt, "no ansible-playbook");
    CHECK(r2.status == IterationStatus::failed);
    CHECK(r2.validate_playbook == "failed");
    CHECK(r2.error_kind == "validate");
  }
  SECTION("the first error is the cause") {
    auto r = error_report(settings(), s, 1, "prepare", "prepare.yml failed");
    record_error(r, "flush", "later");
    CHECK(r.error_kind == "prepare");
    CHECK(json::parse(r.tags_json) == json{"web", "systemd"});
  }
}

TEST_CASE("core: phases keep their order and outcomes", "[core]") {
  PhaseLog log;
  const auto t0 = SystemClock::from_time_t(100);
  log.begin("provision", t0);
  CHECK(log.current() == "provision");
  log.end("ok", t0 + std::chrono::milliseconds(250));
  log.begin("prepare", t0 + std::chrono::seconds(1));
  log.begin("restore", t0 + std::chrono::seconds(2));  // an open phase is abandoned, not nested
  CHECK(log.end("ok", t0 + std::chrono::seconds(3))->duration_ms == 1000);
  CHECK(log.end("ok", t0) == nullptr);
  auto phases = nlohmann::ordered_json::parse(log.json());
  std::vector<std::string> names;
  for (const auto& [k, v] : phases.items()) names.push_back(k);
  CHECK(names == std::vector<std::string>{"provision", "prepare", "restore"});
  CHECK(phases["provision"]["duration_ms"] == 250);
  CHECK(phases["prepare"]["outcome"] == "abandoned");
}

TEST_CASE("core: text is cut on characters, never inside one", "[core]") {
  CHECK(utf8_truncate("short", 80) == "short");
  const std::string accents = std::string(10, 'a') + "\xC3\xA9\xC3\xA9";  // "aaaaaaaaaaéé"
  CHECK(utf8_truncate(accents, 14) == accents);
  CHECK(utf8_truncate(accents, 13) == std::string(10, 'a') + "...");  // é would be split: dropped whole
  const std::string box = "\xE2\x94\x94\xE2\x94\x80\xE2\x94\x80 done";  // "└── done"
  CHECK(utf8_truncate(box, 8) == "\xE2\x94\x94...");
}

TEST_CASE("core: guards name the first task that strays", "[core]") {
  JobSnapshot job;
  job.tasks.push_back({"t1", "a1", "h1", "done", "", "", "", {}, {}, {}});
  job.tasks.push_back({"t2", "a2", "h1", "done", "", "", "", {}, {}, {}});
  CHECK(guard_violation({}, {}, job).empty());
  CHECK(guard_violation({"a1", "a2"}, {"h1"}, job).empty());
  CHECK(guard_violation({"a1"}, {}, job) == "task t2 ran on agent a2, not in allowedAgents");
  CHECK(guard_violation({}, {"h2"}, job) == "task t1 ran on host h1, not in allowedHosts");
}

TEST_CASE("core: mode and gateway parse once and print once", "[core]") {
  CHECK(parse_run_mode("lima") == RunMode::lima);
  CHECK_FALSE(parse_run_mode("docker"));
  CHECK(to_string(RunMode::incus) == std::string("incus"));
  CHECK(parse_gateway("servicenow") == GatewayKind::servicenow);
  CHECK_FALSE(parse_gateway("email"));
  CHECK(is_vm_mode(RunMode::incus));
  CHECK_FALSE(is_vm_mode(RunMode::host));
}

TEST_CASE("report codec: every field survives a round trip through the spool", "[core]") {
  ScenarioReport r;
  r.benchmark_id = "b-1";
  r.scenario_key = "k\n\"quoted\"";
  r.scenario_title = "Titre accentué └──";
  r.tags_json = R"(["a","b"])";
  r.iteration = 7;
  r.mode = "incus";
  r.gateway = "servicenow";
  r.status = IterationStatus::failed;
  r.error_kind = "guard";
  r.error_message = "guard: task t2";
  r.compliance_score = 66.5;
  r.rules_json = R"([{"label":"x","outcome":"failed"}])";
  r.validate_playbook = "passed";
  r.ticket_id = "INC0000001";
  r.job_id = "job_9";
  r.resolution_status = "partial";
  r.task_count = 3;
  r.host_ids_json = R"(["h1"])";
  r.agent_ids_json = R"(["a1","a2"])";
  r.tokens_json = R"({"prompt":1,"completion":2,"total":3})";
  r.phases_json = R"({"provision":{"started_at":"t","duration_ms":5,"outcome":"ok"}})";
  r.trajectory_json = R"({"gateway":"runner","job":{"id":"job_9","tasks":[{"executed_commands":["ls é"]}]}})";
  r.log_path = "/tmp/log";
  r.started_at = "2026-11-27T10:00:00Z";
  r.finished_at = "2026-11-27T10:01:00Z";
  r.duration_ms = 60'000;
  auto decoded = decode_op(encode_op(r));
  REQUIRE(decoded);
  const auto& d = std::get<ScenarioReport>(*decoded);
  auto same_json = [](const std::string& a, const std::string& b) { return json::parse(a) == json::parse(b); };
  CHECK(d.benchmark_id == r.benchmark_id);
  CHECK(d.scenario_key == r.scenario_key);
  CHECK(d.scenario_title == r.scenario_title);
  CHECK(same_json(d.tags_json, r.tags_json));
  CHECK(d.iteration == r.iteration);
  CHECK(d.mode == r.mode);
  CHECK(d.gateway == r.gateway);
  CHECK(d.status == r.status);
  CHECK(d.error_kind == r.error_kind);
  CHECK(d.error_message == r.error_message);
  CHECK(d.compliance_score == r.compliance_score);
  CHECK(same_json(d.rules_json, r.rules_json));
  CHECK(d.validate_playbook == r.validate_playbook);
  CHECK(d.ticket_id == r.ticket_id);
  CHECK(d.job_id == r.job_id);
  CHECK(d.resolution_status == r.resolution_status);
  CHECK(d.task_count == r.task_count);
  CHECK(same_json(d.trajectory_json, r.trajectory_json));
  CHECK(same_json(d.host_ids_json, r.host_ids_json));
  CHECK(same_json(d.agent_ids_json, r.agent_ids_json));
  CHECK(same_json(d.tokens_json, r.tokens_json));
  CHECK(same_json(d.phases_json, r.phases_json));
  CHECK(d.log_path == r.log_path);
  CHECK(d.started_at == r.started_at);
  CHECK(d.finished_at == r.finished_at);
  CHECK(d.duration_ms == r.duration_ms);
  // Optional fields stay absent when absent.
  ScenarioReport bare;
  bare.benchmark_id = "b";
  bare.scenario_key = "k";
  const auto b = std::get<ScenarioReport>(*decode_op(encode_op(bare)));
  CHECK_FALSE(b.compliance_score);
  CHECK_FALSE(b.task_count);
  CHECK(b.platform_json.empty());
  // The platform's timings travel through the spool; a line spooled before they
  // existed (no "platform" key) reads back without them.
  ScenarioReport timed = bare;
  timed.platform_json = R"({"ticket_to_pickup_ms":120,"cancel_latency_ms":null})";
  CHECK(same_json(std::get<ScenarioReport>(*decode_op(encode_op(timed))).platform_json, timed.platform_json));
  // So do the chaos record and the earlier attempts of --retries; absent stays absent.
  ScenarioReport retried = bare;
  retried.attempts_json = R"([{"attempt":1,"error_kind":"prepare","error_message":"é \"x\""}])";
  retried.chaos_json = R"({"killed":true})";
  const auto back = std::get<ScenarioReport>(*decode_op(encode_op(retried)));
  CHECK(same_json(back.attempts_json, retried.attempts_json));
  CHECK(same_json(back.chaos_json, retried.chaos_json));
  CHECK(b.attempts_json.empty());
  // The other two operations.
  BenchmarkRecord bench;
  bench.id = "b-1";
  bench.options_json = R"({"mode":"host"})";
  bench.runner_version = "0.1.0";
  bench.name = "nightly";
  const auto bd = std::get<BenchmarkRecord>(*decode_op(encode_op(bench)));
  CHECK(bd.id == "b-1");
  CHECK(bd.name == "nightly");
  // A start line spooled before names existed reads back without one.
  const auto old_line = decode_op(R"({"op":"start","id":"b-2","status":"running","options":{}})");
  REQUIRE(old_line);
  CHECK(std::get<BenchmarkRecord>(*old_line).name.empty());
  CHECK(same_json(bd.options_json, bench.options_json));
  CHECK(bd.runner_version == "0.1.0");
  const auto fd = std::get<BenchmarkFinish>(*decode_op(encode_op(BenchmarkFinish{"b-1", "completed", "t", "{}"})));
  CHECK(fd.status == "completed");
  CHECK(fd.capacity_json == "{}");
}

TEST_CASE("retries: only the infrastructure's errors are retried, attempts accumulate in order", "[core]") {
  ScenarioReport r;
  r.status = IterationStatus::error;
  for (const char* kind : {"provision", "vm", "database", "playbook", "prepare", "flush", "gateway"}) {
    r.error_kind = kind;
    CHECK(retryable_error(r));
  }
  for (const char* kind : {"timeout", "guard", "validate", "internal", "interrupted", "host_busy", ""}) {
    r.error_kind = kind;
    CHECK_FALSE(retryable_error(r));
  }
  r.error_kind = "gateway";
  r.status = IterationStatus::failed;  // an agent's failure, whatever the kind says
  CHECK_FALSE(retryable_error(r));
  r.status = IterationStatus::error;
  RunSettings run;
  ScenarioJob job;
  CHECK_FALSE(retry_deferred(r, job, run));  // --retries 0
  run.retries = 1;
  CHECK(retry_deferred(r, job, run));
  job.attempt = 2;
  CHECK_FALSE(retry_deferred(r, job, run));  // the last allowed attempt
  r.error_message = "engine said \"no\"";
  r.started_at = "2026-11-28T03:00:00Z";
  r.duration_ms = 1200;
  auto one = with_attempt("", r, 1);
  auto two = nlohmann::json::parse(with_attempt(one, r, 2));
  REQUIRE(two.size() == 2);
  CHECK(two[0]["attempt"] == 1);
  CHECK(two[1]["error_message"] == "engine said \"no\"");
  CHECK(two[1]["duration_ms"] == 1200);
  CHECK(nlohmann::json::parse(with_attempt("not json", r, 1)).size() == 1);
}
