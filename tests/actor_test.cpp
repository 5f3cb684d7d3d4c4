// Actors under CAF's deterministic test coordinator: admission and lease release on
// a holder's death (the broker), and poll schedule, timeout and cancel (the gateway
// poller against a fake HTTP client). Time only moves when the test advances it.
#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include "actors/gateway_poller.hpp"
#include "actors/ram_broker.hpp"
#include "actors/system_config.hpp"
#include "support/deterministic_system.hpp"

using namespace runner;

namespace {

using TestSystem = test::DeterministicSystem;

// A holder that asks the broker for a lease and remembers whether it got one.
caf::actor holder(TestSystem& ts, ram_broker_actor broker, LeaseRequest req, std::vector<std::string>& log,
                  bool release_at_once) {
  return ts.sys->spawn([=, &log](caf::event_based_actor* self) -> caf::behavior {
    self->request(broker, caf::infinite, req).then([=, &log](const LeaseGrant& g) {
      log.push_back(req.holder);
      if (release_at_once) self->send(caf::actor_cast<caf::actor>(broker), release_atom::value, g.id);
    });
    return {[](int) {}};  // stays alive (and holds its lease) until killed
  });
}

// The poller's reply either way: the outcome, or the error's kind, ticket and job.
struct Executed {
  bool ok = false;
  std::string error_kind, job_id, message;
  static Executed of(const ExecuteOutcome& o) { return {true, "", o.job_id, ""}; }
  static Executed of(const caf::error& e) {
    return {false, is_runner_error(e) ? to_string(static_cast<runner_errc>(e.code())) : "?", error_field(e, 2),
            error_field(e, 0)};
  }
};

// A fake HTTP client: the engine answers by URL; the job never finishes.
struct FakeEngine {
  int job_reads = 0;
  int cancels = 0;
  int creates = 0;
  int cancel_status = 200;   // what a cancel gets
  bool deaf_cancel = false;  // a cancel is never answered
  std::vector<caf::typed_response_promise<HttpResponse>> unanswered;
};

http_client_actor fake_http(TestSystem& ts, FakeEngine& fe) {
  return ts.sys->spawn([&fe](http_client_actor::pointer self) -> http_client_actor::behavior_type {
    return {
        [&fe, self](HttpRequest& req) -> caf::result<HttpResponse> {
          if (fe.deaf_cancel && req.url.find("/cancel") != std::string::npos) {
            ++fe.cancels;
            fe.unanswered.push_back(self->make_response_promise<HttpResponse>());
            return fe.unanswered.back();
          }
          HttpResponse r;
          r.attempts = 1;
          r.status = 200;
          if (req.url.find("/gateways/runner/tickets") != std::string::npos) {
            ++fe.creates;
            r.status = 201;
            r.body = R"({"id":"tkt_1"})";
          } else if (req.url.find("/tickets/") != std::string::npos) {
            r.body = R"({"id":"tkt_1","job_id":"job_1"})";
          } else if (req.url.find("/cancel") != std::string::npos) {
            ++fe.cancels;
            r.status = fe.cancel_status;
            r.body = R"({"id":"job_1","status":"cancelled"})";
          } else {
            ++fe.job_reads;
            r.body = R"({"id":"job_1","ticket_id":"tkt_1","status":"in_progress","tasks":[]})";
          }
          return r;
        },
        [](http_done_atom, uint64_t, HttpResponse&) {},
        [](http_retry_atom, uint64_t) {},
    };
  });
}

// A client that asks the poller to execute `req` and keeps its reply in `outcome`.
caf::actor execute(TestSystem& ts, gateway_poller_actor poller, const ExecuteRequest& req,
                   std::optional<Executed>& outcome) {
  return ts.sys->spawn([poller, req, &outcome](caf::event_based_actor* self) {
    self->request(poller, caf::infinite, execute_atom::value, req)
        .then([&outcome](ExecuteOutcome& o) { outcome = Executed::of(o); },
              [&outcome](caf::error& e) { outcome = Executed::of(e); });
  });
}

}  // namespace

TEST_CASE("broker: never two leases on one host, what fits passes what waits, a dead holder's lease returns",
          "[actors]") {
  TestSystem ts;
  auto broker = spawn_ram_broker(*ts.sys, 2);
  std::vector<std::string> granted;
  // a and b share host h1: b waits for a even though the budget has room.
  auto a = holder(ts, broker, {"a", 1, {"h1"}}, granted, false);
  auto b = holder(ts, broker, {"b", 1, {"h1"}}, granted, true);
  auto c = holder(ts, broker, {"c", 1, {"h2"}}, granted, true);  // fits now: passes b (bounded)
  ts.run();
  CHECK(granted == std::vector<std::string>{"a", "c"});
  // a dies without releasing: its lease comes back through the monitor.
  caf::anon_send_exit(a, caf::exit_reason::kill);
  ts.run();
  CHECK(granted == std::vector<std::string>{"a", "c", "b"});
  caf::anon_send_exit(broker, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  ts.run();
}

TEST_CASE("broker: usage answers the clones and MiB leased now, for the progress display", "[actors]") {
  TestSystem ts;
  auto broker = spawn_ram_broker(*ts.sys, 4096);
  std::vector<std::string> granted;
  auto a = holder(ts, broker, {"a", 1024, {}, 0, 2}, granted, false);
  auto b = holder(ts, broker, {"b", 2048, {}, 0, 1}, granted, false);
  ts.run();
  auto usage = [&] {
    std::vector<std::uint64_t> out;
    ts.sys->spawn([&](caf::event_based_actor* self) {
      self->request(broker, caf::infinite, usage_atom::value)
          .then([&](std::uint64_t clones, std::uint64_t mib, std::uint64_t budget) { out = {clones, mib, budget}; });
    });
    ts.run();
    return out;
  };
  CHECK(usage() == std::vector<std::uint64_t>{3, 3072, 4096});
  caf::anon_send_exit(a, caf::exit_reason::kill);  // its lease comes back
  ts.run();
  CHECK(usage() == std::vector<std::uint64_t>{1, 2048, 4096});
  caf::anon_send_exit(broker, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
  ts.run();
}

TEST_CASE("broker: closing admission refuses every waiting request", "[actors]") {
  TestSystem ts;
  auto broker = spawn_ram_broker(*ts.sys, 1);
  std::vector<std::string> granted;
  int refused = 0;
  auto a = holder(ts, broker, {"a", 1, {}}, granted, false);
  auto b = ts.sys->spawn([&](caf::event_based_actor* self) {
    self->request(broker, caf::infinite, LeaseRequest{"b", 1, {}})
        .then([&](const LeaseGrant&) { granted.push_back("b"); }, [&](const caf::error&) { ++refused; });
  });
  ts.run();
  caf::anon_send(broker, close_atom::value);
  ts.run();
  CHECK(granted == std::vector<std::string>{"a"});
  CHECK(refused == 1);
  caf::anon_send_exit(broker, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  ts.run();
}

TEST_CASE("poller: polls back off to the ceiling, the timeout cancels the job", "[actors]") {
  TestSystem ts;
  FakeEngine fe;
  auto http = fake_http(ts, fe);
  auto poller = spawn_gateway_poller(*ts.sys, http, PollerSettings::engine("http://engine", "key", 1000));
  ExecuteRequest req;
  req.ticket.scenario_key = "k";
  req.timeout_ms = 10'000;
  req.poll_initial_ms = 100;
  req.poll_max_ms = 1'000;
  std::optional<Executed> outcome;
  auto client = execute(ts, poller, req, outcome);
  ts.run();
  CHECK(fe.creates == 1);
  for (int i = 0; i < 100 && !outcome; ++i) ts.advance(std::chrono::milliseconds(100));
  REQUIRE(outcome);
  CHECK_FALSE(outcome->ok);
  CHECK(outcome->error_kind == "timeout");
  CHECK(outcome->job_id == "job_1");
  CHECK(fe.cancels == 1);
  // 100, 151, 227, 341, 512, 769, then every 1000 ms: about 15 reads in 10 s, not 100.
  CHECK(fe.job_reads >= 10);
  CHECK(fe.job_reads <= 18);
  caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
  ts.run();
}

TEST_CASE("poller: an interrupt cancels the job and answers at once", "[actors]") {
  TestSystem ts;
  FakeEngine fe;
  auto http = fake_http(ts, fe);
  auto poller = spawn_gateway_poller(*ts.sys, http, PollerSettings::engine("http://engine", "key", 1000));
  ExecuteRequest req;
  req.ticket.scenario_key = "k";
  req.poll_initial_ms = 100;
  std::optional<Executed> outcome;
  auto client = execute(ts, poller, req, outcome);
  ts.run();
  ts.advance(std::chrono::milliseconds(300));
  CHECK_FALSE(outcome);
  caf::anon_send(poller, cancel_atom::value);
  ts.run();
  REQUIRE(outcome);
  CHECK(outcome->error_kind == "interrupted");
  CHECK(outcome->message == "run interrupted; job job_1 cancelled");
  CHECK(fe.cancels == 1);
  caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
  ts.run();
}

// The three steps of stopping a run, as the poller sees them: the interrupt's row
// names what became of the cancel, and a second interrupt does not wait for it.
TEST_CASE("poller: a refused cancel is named, a second interrupt does not wait for a deaf engine", "[actors]") {
  for (const bool deaf : {false, true}) {
    TestSystem ts;
    FakeEngine fe;
    fe.cancel_status = 503;
    fe.deaf_cancel = deaf;
    auto http = fake_http(ts, fe);
    auto poller = spawn_gateway_poller(*ts.sys, http, PollerSettings::engine("http://engine", "key", 1000));
    ExecuteRequest req;
    req.ticket.scenario_key = "k";
    req.poll_initial_ms = 100;
    std::optional<Executed> outcome;
    auto client = execute(ts, poller, req, outcome);
    ts.run();
    ts.advance(std::chrono::milliseconds(300));
    caf::anon_send(poller, cancel_atom::value);
    ts.run();
    CHECK(fe.cancels == 1);
    if (!deaf) {
      REQUIRE(outcome);
      CHECK(outcome->error_kind == "interrupted");
      CHECK(outcome->message == "run interrupted; the cancel of job job_1 failed (HTTP 503 after 1 attempt(s))");
    } else {
      CHECK_FALSE(outcome);  // the first interrupt waits for the cancel (within its bound)
      caf::anon_send(poller, cancel_atom::value);
      ts.run();
      REQUIRE(outcome);
      CHECK(outcome->error_kind == "interrupted");
      CHECK(outcome->message == "run interrupted; the cancel of job job_1 was not waited for (second interrupt)");
      CHECK(outcome->job_id == "job_1");
    }
    caf::anon_send_exit(http, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(client, caf::exit_reason::user_shutdown);
    ts.run();
  }
}
