// The heart of a run under CAF's deterministic coordinator: the scenario actor and
// the supervisor against stand-ins (built from actors/interfaces.hpp) for the
// provisioner, Ansible, the VM provider, the gateway poller, the HTTP client and the
// reporter; the RAM broker is the real one. Every stand-in writes what it was asked
// into one call log, so a test states the order of phases and what was undone.
#include <catch2/catch.hpp>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "actors/ram_broker.hpp"
#include "actors/scenario_actor.hpp"
#include "actors/supervisor.hpp"
#include "support/deterministic_system.hpp"
#include "support/temp_dir.hpp"

using namespace runner;

namespace {

// What the stand-ins answer, and what they were asked.
struct Script {
  std::vector<std::string> calls;
  std::set<std::string> failing_playbooks;  // phases whose playbook exits 2
  int prepare_failures = 0;                 // prepare.yml fails this many times, then succeeds
  std::set<std::string> failing_clones;     // host names whose clone never comes up
  std::optional<runner_errc> provision_error;
  int busy_answers = 0;                     // provisions answered host_busy before one succeeds
  enum class Execute { completes, times_out, hangs } execute = Execute::completes;
  std::vector<ScenarioReport> reports;      // as the reporter received them
};

ansible_worker_actor fake_ansible(caf::actor_system& sys, Script& s) {
  return sys.spawn([&s](ansible_worker_actor::pointer) -> ansible_worker_actor::behavior_type {
    return {[&s](playbook_atom, const PlaybookRequest& req) -> caf::result<PlaybookOutcome> {
      const std::string phase = std::filesystem::path(req.playbook).stem().string();
      s.calls.push_back("playbook " + phase);
      const bool fails = s.failing_playbooks.count(phase) > 0 || (phase == "prepare" && s.prepare_failures-- > 0);
      return PlaybookOutcome{!fails, fails ? 2 : 0, false, 0.1};
    }};
  });
}

vm_worker_actor fake_vm(caf::actor_system& sys, Script& s) {
  return sys.spawn([&s](vm_worker_actor::pointer) -> vm_worker_actor::behavior_type {
    return {
        [&s](vm_up_atom, const VmUpRequest& req) -> caf::result<HostRow> {
          s.calls.push_back("vm up " + req.host_name);
          if (s.failing_clones.count(req.host_name))
            return caf::make_error(runner_errc::vm, req.clone_name + " never became reachable");
          HostRow h;
          h.name = req.clone_name;
          h.inventory_name = req.host_name;
          h.connection = "local";
          return h;
        },
        [&s](vm_down_atom, const std::vector<std::string>& names) {
          s.calls.push_back("vm down " + std::to_string(names.size()));
          return true;
        },
    };
  });
}

provisioner_actor fake_provisioner(caf::actor_system& sys, Script& s) {
  return sys.spawn([&s](provisioner_actor::pointer) -> provisioner_actor::behavior_type {
    return {
        [&s](provision_atom, const ProvisionRequest& req) -> caf::result<Provisioned> {
          s.calls.push_back("provision");
          if (s.busy_answers > 0) {
            --s.busy_answers;
            return caf::make_error(runner_errc::host_busy, std::string("host h1 is held by benchmark b2 (k #1)"));
          }
          if (s.provision_error) return caf::make_error(*s.provision_error, std::string("no host h9 in this tenant"));
          Provisioned p;
          for (const auto& id : req.host_ids) {
            HostRow h;
            h.id = id;
            h.name = id;
            h.connection = "local";
            p.hosts.push_back(h);
          }
          p.agent_ids = req.agent_ids;
          return p;
        },
        [&s](teardown_atom, const std::string&, const std::vector<std::string>&, const std::vector<std::string>&) {
          s.calls.push_back("release");
          return true;
        },
        [](repair_atom) { return uint64_t{0}; },
        [](retry_atom) {},
        [](tick_atom) {},
        [&s](register_atom, const RegisterRequest& req) -> caf::result<Provisioned> {
          s.calls.push_back("register " + std::to_string(req.hosts.size()));
          Provisioned p;
          for (auto h : req.hosts) {
            h.id = "id-" + h.name;
            p.hosts.push_back(h);
          }
          for (const auto& name : req.agent_names) p.agent_ids.push_back("agent-" + name);
          return p;
        },
        [&s](unregister_atom, const std::vector<std::string>& hosts, const std::vector<std::string>&) {
          s.calls.push_back("unregister " + std::to_string(hosts.size()));
          return true;
        },
    };
  });
}

http_client_actor fake_http(caf::actor_system& sys, Script& s) {
  return sys.spawn([&s](http_client_actor::pointer) -> http_client_actor::behavior_type {
    return {
        [&s](HttpRequest& req) {
          s.calls.push_back(req.label);
          HttpResponse r;
          r.status = 200;
          r.attempts = 1;
          return r;
        },
        [](http_done_atom, uint64_t, HttpResponse&) {},
        [](http_retry_atom, uint64_t) {},
    };
  });
}

reporter_actor fake_reporter(caf::actor_system& sys, Script& s) {
  return sys.spawn([&s](reporter_actor::pointer) -> reporter_actor::behavior_type {
    return {
        [](bench_start_atom, const BenchmarkRecord&) { return true; },
        [&s](report_atom, const ScenarioReport& r) {
          s.calls.push_back("report");
          s.reports.push_back(r);
          return true;
        },
        [](bench_finish_atom, const std::string&, const std::string&, const std::string&, const std::string&) {
          return true;
        },
        [](replay_atom) { return ReportLedger{}; },
        [](retry_atom) {},
    };
  });
}

struct poller_state {
  caf::response_promise pending;
  static inline const char* name = "fake-poller";
};

// Completes at once, times out at once, or hangs until cancelled.
gateway_poller_actor fake_poller(caf::actor_system& sys, Script& s) {
  return sys.spawn([&s](gateway_poller_actor::stateful_pointer<poller_state> self) -> gateway_poller_actor::behavior_type {
    return {
        [=, &s](execute_atom, const ExecuteRequest& req) -> caf::result<ExecuteOutcome> {
          s.calls.push_back("execute " + req.ticket.scenario_key);
          if (s.execute == Script::Execute::times_out)
            return caf::make_error(runner_errc::timeout, std::string("the job did not finish within 1 s; cancelled"),
                                   std::string("tkt_1"), std::string("job_1"));
          if (s.execute == Script::Execute::hangs) {
            self->state.pending = self->make_response_promise<ExecuteOutcome>();
            return self->state.pending;
          }
          ExecuteOutcome o;
          o.ticket_id = "tkt_1";
          o.job_id = "job_1";
          o.job.id = "job_1";
          o.job.status = "completed";
          o.job.resolution_status = "success";
          return o;
        },
        [=, &s](cancel_atom) {
          s.calls.push_back("cancel");
          self->state.pending.deliver(caf::make_error(runner_errc::interrupted, std::string("run interrupted; job cancelled"),
                                                      std::string("tkt_1"), std::string("job_1")));
        },
        [](poll_atom) {},
        [](deadline_atom) {},
    };
  });
}

// One run's stand-ins, a real broker, and a scenario with prepare, restore and
// validate playbooks.
struct Fixture {
  test::DeterministicSystem ts;
  Script script;
  test::TempDir dir;
  RunActors actors;
  std::shared_ptr<RunSettings> run = std::make_shared<RunSettings>();

  explicit Fixture(std::uint64_t budget = 1, std::uint32_t max_failures = 0) {
    auto& sys = *ts.sys;
    actors.broker = spawn_ram_broker(sys, budget, max_failures);
    actors.provisioner = fake_provisioner(sys, script);
    actors.http = fake_http(sys, script);
    actors.reporter = fake_reporter(sys, script);
    actors.workers.ansible = [this](caf::actor_system& s) { return fake_ansible(s, script); };
    actors.workers.vm = [this](caf::actor_system& s) { return fake_vm(s, script); };
    actors.workers.poller = [this](caf::actor_system& s) { return fake_poller(s, script); };
    run->benchmark_id = "bench-1";
    run->runs_dir = dir.str();
    run->detach_workers = false;
  }

  ~Fixture() {
    for (const caf::actor& a : {caf::actor_cast<caf::actor>(actors.broker), caf::actor_cast<caf::actor>(actors.provisioner),
                                caf::actor_cast<caf::actor>(actors.http), caf::actor_cast<caf::actor>(actors.reporter)})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    ts.run();
  }

  static std::shared_ptr<Scenario> scenario(const std::string& key) {
    auto s = std::make_shared<Scenario>();
    s->key = key;
    s->title = "Scenario " + key;
    s->dir = "/nonexistent/" + key;
    s->hosts = {{"h1", "web", "small"}};
    s->agents = {{"a1", "agent-one", "web", "h1", ""}};
    s->playbooks = {true, true, true, ""};
    return s;
  }

  // VM modes: a template per host name, 1 GiB each.
  void vm_mode() {
    auto vm = std::make_shared<VmSettings>();
    auto catalog = std::make_shared<TemplateCatalog>();
    VmTemplate t;
    t.name = "small";
    t.memory_mib = 1024;
    catalog->templates["small"] = t;
    vm->mode = "incus";
    vm->templates = catalog;
    run->vm = vm;
    run->mode = RunMode::incus;
  }

  // Spawns the scenario actor and asks it to run; the report lands in `out`.
  scenario_actor start(std::shared_ptr<const Scenario> s, std::optional<ScenarioReport>& out, int iteration = 1) {
    auto actor = spawn_scenario(*ts.sys, {s, iteration, 0}, run, actors);
    ts.sys->spawn([=, &out](caf::event_based_actor* self) {
      self->request(actor, caf::infinite, run_atom::value).then([&out](ScenarioReport& r) { out = std::move(r); });
    });
    return actor;
  }
};

std::vector<std::string> phase_names(const ScenarioReport& r) {
  std::vector<std::string> out;
  const auto phases = nlohmann::ordered_json::parse(r.phases_json);
  for (const auto& [name, v] : phases.items()) out.push_back(name);
  return out;
}

std::string phase_outcome(const ScenarioReport& r, const std::string& phase) {
  return nlohmann::json::parse(r.phases_json).at(phase).at("outcome");
}

using Calls = std::vector<std::string>;

}  // namespace

TEST_CASE("scenario actor: a passing iteration goes through every phase in lifecycle order", "[scenario]") {
  Fixture f;
  std::optional<ScenarioReport> report;
  f.start(Fixture::scenario("s1"), report);
  f.ts.run();
  REQUIRE(report);
  CHECK(report->status == IterationStatus::passed);
  CHECK(report->compliance_score == 100.0);
  CHECK(report->ticket_id == "tkt_1");
  CHECK(report->validate_playbook == "passed");
  CHECK(phase_names(*report) == Calls{"provision", "prepare", "flush", "execute", "validate", "restore"});
  // restore.yml runs silently before prepare.yml (a reused host) and again at the end.
  CHECK(f.script.calls == Calls{"provision", "playbook restore", "playbook prepare", "flush agent", "execute s1",
                                "playbook validate", "playbook restore", "release", "report"});
  REQUIRE(f.script.reports.size() == 1);  // durable before the supervisor hears of it
  CHECK(f.script.reports[0].status == IterationStatus::passed);
}

TEST_CASE("scenario actor: a failed prepare is an error, and restore still runs", "[scenario]") {
  Fixture f;
  f.script.failing_playbooks = {"prepare"};
  std::optional<ScenarioReport> report;
  f.start(Fixture::scenario("s1"), report);
  f.ts.run();
  REQUIRE(report);
  CHECK(report->status == IterationStatus::error);
  CHECK(report->error_kind == "prepare");
  CHECK(report->error_message.find("exit code 2") != std::string::npos);
  CHECK(phase_names(*report) == Calls{"provision", "prepare", "restore"});
  CHECK(phase_outcome(*report, "prepare") == "failed");
  CHECK(f.script.calls ==
        Calls{"provision", "playbook restore", "playbook prepare", "playbook restore", "release", "report"});
}

TEST_CASE("scenario actor: restore follows a prepare that began, whatever fails after it", "[scenario]") {
  Fixture f;
  SECTION("the job times out") {
    f.script.execute = Script::Execute::times_out;
    std::optional<ScenarioReport> report;
    f.start(Fixture::scenario("s1"), report);
    f.ts.run();
    REQUIRE(report);
    CHECK(report->error_kind == "timeout");
    CHECK(report->ticket_id == "tkt_1");
    CHECK(report->job_id == "job_1");
    CHECK(phase_names(*report) == Calls{"provision", "prepare", "flush", "execute", "restore"});
    CHECK(f.script.calls.back() == "report");
    CHECK(f.script.calls[f.script.calls.size() - 2] == "release");  // the hosts go after restore.yml
    CHECK(f.script.calls[f.script.calls.size() - 3] == "playbook restore");
  }
  SECTION("validate.yml fails: the verdict is failed, not an error") {
    f.script.failing_playbooks = {"validate"};
    std::optional<ScenarioReport> report;
    f.start(Fixture::scenario("s1"), report);
    f.ts.run();
    REQUIRE(report);
    CHECK(report->status == IterationStatus::failed);
    CHECK(report->validate_playbook == "failed");
    CHECK(report->error_message.find("validate.yml failed") != std::string::npos);
    CHECK(phase_names(*report).back() == "restore");
  }
  SECTION("an interrupt while the job runs cancels it; restore and the agent overrides still run") {
    f.script.execute = Script::Execute::hangs;
    f.run->main_engine = "gpt-x";
    std::optional<ScenarioReport> report;
    auto actor = f.start(Fixture::scenario("s1"), report);
    f.ts.run();
    CHECK_FALSE(report);
    caf::anon_send(actor, cancel_atom::value);
    f.ts.run();
    REQUIRE(report);
    CHECK(report->error_kind == "interrupted");
    CHECK(f.script.calls == Calls{"provision", "playbook restore", "playbook prepare", "flush agent", "execute s1",
                                  "cancel", "playbook restore", "release", "report"});
  }
}

TEST_CASE("scenario actor: a host another runner holds is waited for, or errors with --fail-if-host-busy",
          "[scenario]") {
  Fixture f;
  f.script.busy_answers = 2;
  SECTION("waits, asking again every 2 s, then runs as usual") {
    std::optional<ScenarioReport> report;
    f.start(Fixture::scenario("s1"), report);
    f.ts.run();
    CHECK_FALSE(report);
    CHECK(f.script.calls == Calls{"provision"});
    f.ts.advance(std::chrono::seconds(2));
    CHECK(f.script.calls == Calls{"provision", "provision"});
    f.ts.advance(std::chrono::seconds(2));
    REQUIRE(report);
    CHECK(report->status == IterationStatus::passed);
    CHECK(f.script.calls.back() == "report");
  }
  SECTION("an interrupt while waiting ends the wait; nothing was held, nothing is undone") {
    std::optional<ScenarioReport> report;
    auto actor = f.start(Fixture::scenario("s1"), report);
    f.ts.run();
    caf::anon_send(actor, cancel_atom::value);
    f.ts.advance(std::chrono::seconds(2));
    REQUIRE(report);
    CHECK(report->error_kind == "interrupted");
    CHECK(f.script.calls == Calls{"provision", "report"});
  }
  SECTION("--fail-if-host-busy: an error naming the holder at once") {
    f.run->fail_if_host_busy = true;
    std::optional<ScenarioReport> report;
    f.start(Fixture::scenario("s1"), report);
    f.ts.run();
    REQUIRE(report);
    CHECK(report->error_kind == "host_busy");
    CHECK(report->error_message.find("held by benchmark b2") != std::string::npos);
    CHECK(f.script.calls == Calls{"provision", "report"});
  }
}

TEST_CASE("scenario actor: a host-mode provision failure reports without restoring anything", "[scenario]") {
  Fixture f;
  f.script.provision_error = runner_errc::provision;
  std::optional<ScenarioReport> report;
  f.start(Fixture::scenario("s1"), report);
  f.ts.run();
  REQUIRE(report);
  CHECK(report->error_kind == "provision");
  CHECK(report->error_message == "no host h9 in this tenant");
  CHECK(f.script.calls == Calls{"provision", "report"});
}

TEST_CASE("scenario actor: an interrupt that crosses the lease grant starts nothing and gives the lease back",
          "[scenario]") {
  Fixture f;  // budget: one scenario at a time
  auto s = Fixture::scenario("s1");
  std::optional<ScenarioReport> first, second, third;
  f.script.execute = Script::Execute::hangs;
  auto a = f.start(s, first, 1);
  f.ts.run();
  auto b = f.start(s, second, 2);  // waits for the lease a holds
  f.ts.run();
  CHECK_FALSE(second);
  caf::anon_send(b, cancel_atom::value);  // the interrupt reaches b before its grant
  f.ts.run();
  caf::anon_send(a, cancel_atom::value);  // a ends and releases: the grant now goes to b
  f.ts.run();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->error_kind == "interrupted");
  CHECK(second->error_kind == "not_started");
  CHECK(f.script.reports.size() == 1);  // nothing recorded for b
  // b gave its lease back: a third iteration is admitted and runs to its end.
  f.script.execute = Script::Execute::completes;
  f.start(s, third, 3);
  f.ts.run();
  REQUIRE(third);
  CHECK(third->status == IterationStatus::passed);
}

TEST_CASE("scenario actor: a VM-mode provision failure tears down the clones it made", "[scenario]") {
  Fixture f(4096);
  f.vm_mode();
  auto s = Fixture::scenario("s1");
  s->hosts = {{"", "web", "small"}, {"", "db", "small"}};
  s->agents = {{"", "agent-web", "web", "", ""}};
  SECTION("the second clone never comes up: both clones go, no rows were made") {
    f.script.failing_clones = {"db"};
    std::optional<ScenarioReport> report;
    f.start(s, report);
    f.ts.run();
    REQUIRE(report);
    CHECK(report->error_kind == "provision");
    CHECK(report->error_message.find("host db: ") == 0);
    CHECK(f.script.calls == Calls{"vm up web", "vm up db", "vm down 2", "report"});
    CHECK(phase_names(*report) == Calls{"provision", "teardown"});
  }
  SECTION("prepare fails after registration: rows go, then clones; no restore.yml on a clone") {
    f.script.failing_playbooks = {"prepare"};
    std::optional<ScenarioReport> report;
    f.start(s, report);
    f.ts.run();
    REQUIRE(report);
    CHECK(report->error_kind == "prepare");
    CHECK(f.script.calls == Calls{"vm up web", "vm up db", "register 2", "playbook prepare", "unregister 2",
                                  "vm down 2", "report"});
  }
}

// Runs the supervisor over PLAN with PARALLEL iterations at once for up to 5 s of
// test time; the reports it answered with (none if it never did), then shuts it down.
static std::optional<std::vector<ScenarioReport>> run_supervisor(Fixture& f, const std::vector<ScenarioJob>& plan,
                                                          int parallel) {
  auto sup = spawn_supervisor(*f.ts.sys, plan, f.run, f.actors, parallel);
  std::optional<std::vector<ScenarioReport>> reports;
  f.ts.sys->spawn([=, &reports](caf::event_based_actor* self) {
    self->request(sup, caf::infinite, run_atom::value).then([&reports](std::vector<ScenarioReport>& r) {
      reports = std::move(r);
    });
  });
  for (int i = 0; i < 50 && !reports; ++i) f.ts.advance(std::chrono::milliseconds(100));
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  f.ts.run();
  return reports;
}

TEST_CASE("supervisor: a crashed scenario actor becomes one internal error while the others go on", "[scenario]") {
  Fixture f;
  f.run->crash_scenario_key = "s2";  // the test hook: throws in validate
  std::vector<ScenarioJob> plan;
  for (const char* key : {"s1", "s2", "s3"}) plan.push_back({Fixture::scenario(key), 1, 0});
  auto reports = run_supervisor(f, plan, 1);
  REQUIRE(reports);
  REQUIRE(reports->size() == 3);
  CHECK((*reports)[0].status == IterationStatus::passed);
  CHECK((*reports)[1].status == IterationStatus::error);
  CHECK((*reports)[1].error_kind == "internal");
  CHECK((*reports)[1].scenario_key == "s2");
  CHECK((*reports)[2].status == IterationStatus::passed);
  // The crashed iteration's report reached the reporter too (one per iteration).
  CHECK(f.script.reports.size() == 3);
  // What it held went back: a release for each of the three iterations.
  CHECK(std::count(f.script.calls.begin(), f.script.calls.end(), "release") == 3);
}

TEST_CASE("supervisor: --max-failures starts nothing new, and iterations still waiting for admission are no error",
          "[scenario]") {
  Fixture f(1, 1);  // one at a time; the broker closes after one iteration did not pass
  f.script.failing_playbooks = {"prepare"};  // every iteration ends in error: not passed
  f.run->max_failures = 1;
  std::vector<ScenarioJob> plan;
  // One host for all three: the broker admits one at a time, the others wait.
  for (const char* key : {"s1", "s2", "s3"}) plan.push_back({Fixture::scenario(key), 1, 0});
  auto reports = run_supervisor(f, plan, 3);
  REQUIRE(reports);
  REQUIRE(reports->size() == 1);  // the two that waited were never started
  CHECK((*reports)[0].scenario_key == "s1");
  CHECK((*reports)[0].error_kind == "prepare");
  CHECK(f.script.reports.size() == 1);  // and none of them became an internal error
}

TEST_CASE("supervisor: --retries runs an infrastructure error again, stores the iteration once with its attempts",
          "[scenario]") {
  Fixture f;
  f.run->retries = 2;
  f.script.prepare_failures = 1;  // the first attempt's prepare fails, the second passes
  auto reports = run_supervisor(f, {{Fixture::scenario("s1"), 1, 0}}, 1);
  REQUIRE(reports);
  REQUIRE(reports->size() == 1);
  CHECK((*reports)[0].status == IterationStatus::passed);
  auto attempts = nlohmann::json::parse((*reports)[0].attempts_json);
  REQUIRE(attempts.size() == 1);
  CHECK(attempts[0]["attempt"] == 1);
  CHECK(attempts[0]["error_kind"] == "prepare");
  // The reporter got the iteration once: the failed attempt is no row of its own.
  REQUIRE(f.script.reports.size() == 1);
  CHECK(f.script.reports[0].attempts_json == (*reports)[0].attempts_json);
  CHECK(std::count(f.script.calls.begin(), f.script.calls.end(), "playbook prepare") == 2);
  // Each attempt restored after its prepare, and gave back what it held.
  CHECK(std::count(f.script.calls.begin(), f.script.calls.end(), "playbook restore") >= 2);
  CHECK(std::count(f.script.calls.begin(), f.script.calls.end(), "release") == 2);
}

TEST_CASE("supervisor: --retries never runs an agent's failure again", "[scenario]") {
  Fixture f;
  f.run->retries = 3;
  f.script.failing_playbooks = {"validate"};
  auto reports = run_supervisor(f, {{Fixture::scenario("s1"), 1, 0}}, 1);
  REQUIRE(reports);
  REQUIRE(reports->size() == 1);
  CHECK((*reports)[0].status == IterationStatus::failed);
  CHECK((*reports)[0].attempts_json.empty());
  CHECK(f.script.reports.size() == 1);
  CHECK(std::count(f.script.calls.begin(), f.script.calls.end(), "playbook validate") == 1);
}

TEST_CASE("supervisor: when retries run out, the last attempt is the report, with every earlier one", "[scenario]") {
  Fixture f;
  f.run->retries = 2;
  f.script.failing_playbooks = {"prepare"};
  auto reports = run_supervisor(f, {{Fixture::scenario("s1"), 1, 0}, {Fixture::scenario("s2"), 1, 0}}, 1);
  REQUIRE(reports);
  REQUIRE(reports->size() == 2);
  for (const auto& r : *reports) {
    CHECK(r.status == IterationStatus::error);
    CHECK(r.error_kind == "prepare");
    auto attempts = nlohmann::json::parse(r.attempts_json);
    REQUIRE(attempts.size() == 2);
    CHECK(attempts[1]["attempt"] == 2);
  }
  CHECK(f.script.reports.size() == 2);  // stored once each
  CHECK(std::count(f.script.calls.begin(), f.script.calls.end(), "playbook prepare") == 6);
}

TEST_CASE("supervisor: with --max-failures, the retry's failure counts once and nothing new starts", "[scenario]") {
  Fixture f(1, 1);
  f.run->retries = 1;
  f.run->max_failures = 1;
  f.script.failing_playbooks = {"prepare"};
  // s1 fails its prepare (a retry, not yet a failure); the retry fails again: its
  // last attempt is the report, --max-failures is reached, s2 never starts.
  auto reports = run_supervisor(f, {{Fixture::scenario("s1"), 1, 0}, {Fixture::scenario("s2"), 1, 0}}, 1);
  REQUIRE(reports);
  REQUIRE(reports->size() == 1);
  CHECK((*reports)[0].scenario_key == "s1");
  CHECK(nlohmann::json::parse((*reports)[0].attempts_json).size() == 1);
  CHECK(f.script.reports.size() == 1);
}

TEST_CASE("supervisor: a retry the broker never admits (--max-failures closed it) keeps its first attempt as the report",
          "[scenario]") {
  // Parallel: one lease at a time, both iterations asked at once. s1's prepare fails
  // (deferred, its retry asks the broker again, behind s2); s2 fails its validation:
  // --max-failures closes the broker, the retry is refused. s1's attempt is stored.
  Fixture f(1, 1);
  f.run->retries = 1;
  f.run->max_failures = 1;
  f.script.prepare_failures = 1;
  f.script.failing_playbooks = {"validate"};
  auto reports = run_supervisor(f, {{Fixture::scenario("s1"), 1, 0}, {Fixture::scenario("s2"), 1, 0}}, 2);
  REQUIRE(reports);
  REQUIRE(reports->size() == 2);
  CHECK((*reports)[0].scenario_key == "s1");
  CHECK((*reports)[0].status == IterationStatus::error);
  CHECK((*reports)[0].error_kind == "prepare");
  CHECK((*reports)[0].attempts_json.empty());  // it is the first attempt
  CHECK((*reports)[1].status == IterationStatus::failed);
  REQUIRE(f.script.reports.size() == 2);  // both stored, each once
  CHECK(std::count(f.script.calls.begin(), f.script.calls.end(), "playbook prepare") == 2);  // s1 once, s2 once
}
