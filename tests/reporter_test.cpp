// The reporter actor against a real PostgreSQL: a round trip, and durability when
// the database goes away in the middle of a run and comes back.
#include <catch2/catch.hpp>

#include <caf/all.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "actors/reporter.hpp"
#include "adapters/db/migrator.hpp"
#include "adapters/db/spool.hpp"
#include "tests/support/actor_system.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/results_db.hpp"

using namespace runner;
using test::benchmark_record;
using test::scalar;
using test::seed_results_org;

namespace {




ScenarioReport report(const std::string& bench, int i) {
  ScenarioReport r;
  r.benchmark_id = bench;
  r.scenario_key = "s" + std::to_string(i % 7);
  r.scenario_title = "t";
  r.iteration = i / 7 + 1;
  r.status = i % 3 == 0 ? IterationStatus::failed : IterationStatus::passed;
  r.compliance_score = 100.0;
  r.started_at = r.finished_at = "2026-11-26T10:00:01Z";
  return r;
}

bool ask(caf::scoped_actor& self, const reporter_actor& rep, const caf::message& msg) {
  bool stored = false;
  self->request(caf::actor_cast<caf::actor>(rep), std::chrono::seconds(30), msg)
      .receive([&](bool ok) { stored = ok; }, [&](caf::error& err) { FAIL(self->system().render(err)); });
  return stored;
}

uint64_t spooled(caf::scoped_actor& self, const reporter_actor& rep) {
  uint64_t n = 0;
  self->request(rep, std::chrono::seconds(30), replay_atom::value)
      .receive([&](ReportLedger& l) { n = l.spool_lines; }, [&](caf::error& err) { FAIL(self->system().render(err)); });
  return n;
}


}  // namespace

TEST_CASE("reporter: benchmark and reports reach the database", "[reporter][db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_results_org(db.url());
  test::TempDir spool;
  test::ActorSystem as;
  auto rep = spawn_reporter(*as.sys, {db.url(), spool.str(), std::chrono::milliseconds(100), true});
  caf::scoped_actor self{*as.sys};
  const std::string id = "22222222-2222-4222-8222-222222222222";
  CHECK(ask(self, rep, caf::make_message(bench_start_atom::value, benchmark_record(id))));
  for (int i = 0; i < 10; ++i) CHECK(ask(self, rep, caf::make_message(report_atom::value, report(id, i))));
  CHECK(ask(self, rep, caf::make_message(bench_finish_atom::value, id, std::string("completed"),
                                         std::string("2026-11-26T10:10:00Z"), std::string())));
  CHECK(scalar(db.url(), "SELECT status || ' ' || total FROM benchmarks") == "completed 10");
  CHECK(Spool(spool.str()).pending() == 0);
  self->send_exit(rep, caf::exit_reason::user_shutdown);
}

TEST_CASE("reporter: the database stopped mid-run loses nothing and duplicates nothing", "[reporter][db]") {
  test::PrivateCluster pg;
  migrate_database(pg.url());
  seed_results_org(pg.url());
  test::TempDir spool;
  test::ActorSystem as;
  auto rep = spawn_reporter(*as.sys, {pg.url(), spool.str(), std::chrono::milliseconds(200), true});
  caf::scoped_actor self{*as.sys};
  const std::string id = "33333333-3333-4333-8333-333333333333";
  const int total = 120;
  int stored_directly = 0, spooled_writes = 0;
  CHECK(ask(self, rep, caf::make_message(bench_start_atom::value, benchmark_record(id))));
  for (int i = 0; i < total; ++i) {
    if (i == 30) pg.stop();
    if (i == 80) pg.start();
    // The report of i == 30 onwards until the retry timer drains the spool goes there.
    (ask(self, rep, caf::make_message(report_atom::value, report(id, i))) ? stored_directly : spooled_writes)++;
  }
  ask(self, rep, caf::make_message(bench_finish_atom::value, id, std::string("completed"),
                                   std::string("2026-11-26T10:10:00Z"), std::string()));
  CHECK(spooled_writes >= 50);  // everything sent while the server was down
  // The retry timer (or this explicit replay) drains the spool once the server is back.
  for (int i = 0; i < 100 && spooled(self, rep) > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(spooled(self, rep) == 0);
  CHECK(scalar(pg.url(), "SELECT count(*) FROM scenario_reports") == std::to_string(total));
  CHECK(scalar(pg.url(), "SELECT count(DISTINCT (scenario_key, iteration)) FROM scenario_reports") ==
        std::to_string(total));
  CHECK(scalar(pg.url(), "SELECT status || ' ' || total FROM benchmarks") == "completed " + std::to_string(total));
  self->send_exit(rep, caf::exit_reason::user_shutdown);
}
