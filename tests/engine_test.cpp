// The runner's engine client (HTTP client actor + gateway poller) against the engine
// simulator: round trip, fault injection without duplicate tickets, 401, timeout and
// cancel, guards.
#include <catch2/catch.hpp>

#include "actors/gateway_poller.hpp"
#include "actors/http_client.hpp"
#include "actors/system_config.hpp"
#include "adapters/engine/engine_api.hpp"
#include "adapters/env/env_number.hpp"
#include "adapters/http/retry_policy.hpp"
#include "tests/support/actor_system.hpp"
#include "tests/support/engine_sim.hpp"

using namespace runner;

namespace {

ExecuteRequest make_request(const std::string& key, int iteration) {
  ExecuteRequest req;
  req.ticket.title = "t";
  req.ticket.body = "fix it by {{schedule_time}}";
  req.ticket.organization_id = "org";
  req.ticket.benchmark_id = "bench-1";
  req.ticket.scenario_key = key;
  req.ticket.iteration = iteration;
  req.ticket.agent_ids = {"agent-a"};
  req.ticket.host_ids = {"host-a"};
  req.timeout_ms = 20'000;
  req.poll_initial_ms = 50;
  req.poll_max_ms = 300;
  return req;
}

struct Client {
  test::ActorSystem as;
  http_client_actor http;
  PollerSettings settings;
  Client(const std::string& url, const std::string& key, std::chrono::milliseconds retry_base = std::chrono::milliseconds(20)) {
    http = spawn_http_client(*as, {retry_base, std::chrono::milliseconds(500)});
    settings = PollerSettings::engine(url, key);
  }
  ~Client() { caf::anon_send_exit(http, caf::exit_reason::user_shutdown); }

  // An execution's reply, either way: the outcome, or the error's kind and message.
  struct Executed : ExecuteOutcome {
    bool ok = false;
    std::string error_kind, error_message;
  };

  // Runs `n` executions at once and returns their outcomes.
  std::vector<Executed> execute_all(std::vector<ExecuteRequest> reqs) {
    caf::scoped_actor self{*as};
    std::vector<Executed> out;
    for (auto& r : reqs) {
      auto poller = spawn_gateway_poller(*as, http, settings);
      self->request(poller, std::chrono::seconds(60), execute_atom::value, r)
          .receive(
              [&](ExecuteOutcome& o) {
                Executed e;
                static_cast<ExecuteOutcome&>(e) = std::move(o);
                e.ok = true;
                out.push_back(std::move(e));
              },
              [&](caf::error& err) {
                REQUIRE(is_runner_error(err));
                Executed e;
                e.error_kind = to_string(static_cast<runner_errc>(err.code()));
                e.error_message = error_text(*as, err);
                e.ticket_id = error_field(err, 1);
                e.job_id = error_field(err, 2);
                out.push_back(std::move(e));
              });
    }
    return out;
  }

  HttpResponse send(HttpRequest req) {
    caf::scoped_actor self{*as};
    HttpResponse resp;
    self->request(http, std::chrono::seconds(60), std::move(req))
        .receive([&](HttpResponse& r) { resp = std::move(r); }, [&](caf::error& e) { FAIL(as.sys->render(e)); });
    return resp;
  }
};

}  // namespace

TEST_CASE("engine api: ENGINE_API_URL with or without a trailing slash or /api/v1 is the same base", "[engine]") {
  for (const char* url : {"http://e:8080", "http://e:8080/", "http://e:8080/api/v1", "http://e:8080/api/v1/", "http://e:8080//"})
    CHECK(engine_api::normalize_base_url(url) == "http://e:8080");
  CHECK(engine_api::normalize_base_url("https://x/prefix/api/v1") == "https://x/prefix");
  CHECK(engine_api::normalize_base_url("http://e/api/v10") == "http://e/api/v10");  // not the prefix
  CHECK(engine_api::whoami({engine_api::normalize_base_url("http://e/api/v1/"), "k"}).url == "http://e/api/v1/whoami");
}

TEST_CASE("engine: a ticket becomes a job that is polled to completion", "[engine]") {
  test::EngineSimProcess sim({"--behavior", "noop", "--pickup-delay-ms", "100", "--job-duration-ms", "200"});
  Client c(sim.url(), test::EngineSimProcess::api_key);
  auto out = c.execute_all({make_request("k", 1)});
  REQUIRE(out.size() == 1);
  CHECK(out[0].ok);
  CHECK(out[0].ticket_id.rfind("tkt_", 0) == 0);
  CHECK(out[0].job.status == "completed");
  CHECK(out[0].job.resolution_status == "no_action");
  REQUIRE(out[0].job.tasks.size() == 1);
  CHECK(out[0].job.tasks[0].agent_id == "agent-a");
  CHECK(sim.counter("tickets") == 1);
  CHECK(out[0].polls >= 2);
}

TEST_CASE("engine: high fault rates still give correct results and no duplicate tickets", "[engine]") {
  test::EngineSimProcess sim({"--behavior", "fail", "--pickup-delay-ms", "50", "--job-duration-ms", "100",
                              "--fault-5xx", "0.2", "--fault-429", "0.1", "--fault-reset", "0.1", "--fault-slow",
                              "0.05", "--slow-ms", "1500", "--seed", "7"});
  Client c(sim.url(), test::EngineSimProcess::api_key);
  std::vector<ExecuteRequest> reqs;
  for (int i = 1; i <= 12; ++i) {
    auto r = make_request("faulty", i);
    reqs.push_back(r);
  }
  // The client gives up on a slow answer (1.5 s) after 1 s and retries.
  c.settings.http_timeout_ms = 1'000;
  auto out = c.execute_all(reqs);
  REQUIRE(out.size() == 12);
  for (const auto& o : out) {
    INFO(o.error_message);
    CHECK(o.ok);
    CHECK(o.job.resolution_status == "hard_failure");
  }
  CHECK(sim.counter("tickets") == 12);  // one per scenario-iteration, whatever was retried
  CHECK(sim.counter("faults.5xx") > 0);
  CHECK(sim.counter("faults.429") > 0);
  CHECK(sim.counter("faults.reset") > 0);
  CHECK(sim.counter("faults.slow") > 0);
}

TEST_CASE("engine: a wrong key is a credentials error, never retried", "[engine]") {
  test::EngineSimProcess sim({"--behavior", "noop"});
  Client c(sim.url(), "wrong-key");
  auto resp = c.send(engine_api::whoami({sim.url(), "wrong-key"}));
  CHECK(resp.status == 401);
  CHECK(resp.attempts == 1);
  auto out = c.execute_all({make_request("k", 1)});
  CHECK_FALSE(out[0].ok);
  CHECK(out[0].error_kind == "gateway");
  CHECK(out[0].error_message.find("rejected ENGINE_API_KEY") != std::string::npos);
  CHECK(sim.counter("unauthorized") == 2);
}

TEST_CASE("engine: a job that never ends times out and is cancelled", "[engine]") {
  test::EngineSimProcess sim({"--behavior", "hang", "--pickup-delay-ms", "50"});
  Client c(sim.url(), test::EngineSimProcess::api_key);
  auto req = make_request("k", 1);
  req.timeout_ms = 1'000;
  auto out = c.execute_all({req});
  CHECK_FALSE(out[0].ok);
  CHECK(out[0].error_kind == "timeout");
  CHECK(out[0].error_message.find("cancelled") != std::string::npos);
  CHECK(sim.counter("cancels") == 1);
}

TEST_CASE("engine: a task outside allowedAgents fails fast and cancels the job", "[engine]") {
  test::EngineSimProcess sim({"--behavior", "hang", "--pickup-delay-ms", "50"});
  Client c(sim.url(), test::EngineSimProcess::api_key);
  auto req = make_request("k", 1);
  req.allowed_agents = {"some-other-agent"};
  auto t0 = std::chrono::steady_clock::now();
  auto out = c.execute_all({req});
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));  // far before the 20 s timeout
  CHECK(out[0].ok);
  CHECK(out[0].guard_violation);
  CHECK(out[0].guard_detail.find("agent-a") != std::string::npos);
  CHECK(sim.counter("cancels") == 1);
}

TEST_CASE("retry policy: transient failures back off, final ones do not retry", "[engine]") {
  std::mt19937_64 rng(1);
  HttpRequest req;
  HttpResponse r503{503, "", "", 1, 0}, r401{401, "", "", 1, 0}, r429{429, "", "", 1, 3}, reset{0, "", "reset", 1, 0};
  CHECK(retry_delay(req, r401, 1, rng) == std::nullopt);
  CHECK(retry_delay(req, r429, 1, rng) == std::chrono::milliseconds(3000));
  auto d1 = retry_delay(req, r503, 1, rng), d4 = retry_delay(req, reset, 4, rng);
  REQUIRE(d1);
  REQUIRE(d4);
  CHECK(d1->count() >= 100);
  CHECK(d1->count() <= 200);
  CHECK(d4->count() >= 800);
  CHECK(d4->count() <= 1600);
  CHECK(retry_delay(req, r503, req.max_attempts, rng) == std::nullopt);
  req.retryable = false;
  CHECK(retry_delay(req, r503, 1, rng) == std::nullopt);
}

TEST_CASE("schedule_time is five minutes ahead in UTC ISO 8601", "[engine]") {
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 10;
  tm.tm_mday = 26;
  tm.tm_hour = 14;
  auto t = std::chrono::system_clock::from_time_t(timegm(&tm));
  CHECK(engine_api::fill_schedule_time("at {{schedule_time}} and {{schedule_time}}", t) ==
        "at 2026-11-26T14:05:00Z and 2026-11-26T14:05:00Z");
}

TEST_CASE("engine answers: token counts that are not counts are flagged, unknown job statuses are known as such",
          "[engine][integrity]") {
  auto job = engine_api::parse_job(
      R"({"id":"job_1","status":"completed","usage":{"prompt_tokens":-5,"completion_tokens":"lots","total_tokens":1e300}})");
  REQUIRE(job);
  CHECK(job->tokens.invalid ==
        std::vector<std::string>{"prompt_tokens: -5", "completion_tokens: \"lots\"", "total_tokens: 1e+300"});
  auto fine = engine_api::parse_job(R"({"id":"job_1","status":"in_progress","usage":{"prompt_tokens":12}})");
  REQUIRE(fine);
  CHECK(fine->tokens.prompt == 12);
  CHECK(fine->tokens.invalid.empty());
  CHECK(fine->known_status());
  job->status = "exploded";
  CHECK_FALSE(job->known_status());
}

TEST_CASE("env numbers: the whole text, inside the documented range, or an error naming the variable",
          "[integrity]") {
  CHECK(parse_bounded("RUNNER_POLL_INITIAL_MS", "250", 1, 600000) == 250);
  CHECK_THROWS_WITH(parse_bounded("RUNNER_POLL_INITIAL_MS", "abc", 1, 600000),
                    "RUNNER_POLL_INITIAL_MS: 'abc' is not a whole number from 1 to 600000");
  CHECK_THROWS_WITH(parse_bounded("RUNNER_PLAYBOOK_TIMEOUT_S", "-1", 1, 604800),
                    "RUNNER_PLAYBOOK_TIMEOUT_S: '-1' is not a whole number from 1 to 604800");
  CHECK_THROWS_WITH(parse_bounded("RUNNER_JOB_TIMEOUT_S", "4294968000", 1, 604800),
                    "RUNNER_JOB_TIMEOUT_S: 4294968000 is out of range; expected a whole number from 1 to 604800");
  CHECK_THROWS_WITH(parse_bounded("X", "12s", 1, 100), "X: '12s' is not a whole number from 1 to 100");
  CHECK_THROWS_WITH(parse_bounded("X", "99999999999999999999999", 1, 100),
                    Catch::Contains("out of range"));
}
