// Result integrity under faults injected for real: a full disk (a tiny tmpfs), a
// spool folder that cannot exist, PostgreSQL stopped and frozen (SIGSTOP), two
// runner sessions on one host, agent output in every kind of UTF-8 (and not UTF-8)
// round-tripping to the database. Nothing may be lost, nothing stored twice.
#include <catch2/catch.hpp>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "actors/provisioner.hpp"
#include "actors/reporter.hpp"
#include "adapters/db/migrator.hpp"
#include "adapters/db/platform_store.hpp"
#include "adapters/db/report_codec.hpp"
#include "adapters/db/report_store.hpp"
#include "adapters/db/spool.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/text/utf8.hpp"
#include "app/durability.hpp"
#include "tests/support/actor_system.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/results_db.hpp"

using namespace runner;
using test::benchmark_record;
using test::scalar;
using test::seed_results_org;
using namespace std::chrono_literals;

namespace {

const std::string bench_a = "a0000000-0000-4000-8000-00000000000a";
const std::string bench_b = "b0000000-0000-4000-8000-00000000000b";




ScenarioReport report(const std::string& bench, int i) {
  ScenarioReport r;
  r.benchmark_id = bench;
  r.scenario_key = "s";
  r.scenario_title = "t";
  r.iteration = i;
  r.status = IterationStatus::passed;
  r.started_at = r.finished_at = "2026-11-27T10:00:01Z";
  return r;
}

// A tmpfs of `kib` KiB mounted for the test's lifetime (the tests run as root).
struct Tmpfs {
  test::TempDir dir;
  explicit Tmpfs(int kib) {
    REQUIRE(test::sh("mount -t tmpfs -o size=" + std::to_string(kib) + "k tmpfs " + dir.str()) == 0);
  }
  ~Tmpfs() { test::sh("umount -l " + dir.str()); }
  // Fills what is left with a file, until the file system says ENOSPC.
  void fill() { test::sh("dd if=/dev/zero of=" + (dir / "filler").string() + " bs=1k 2>/dev/null"); }
  void free_up() { std::filesystem::remove(dir / "filler"); }
};

struct Reporter {
  test::ActorSystem as;
  reporter_actor rep;
  caf::scoped_actor self{*as.sys};
  Reporter(const std::string& url, const std::string& spool_dir)
      : rep(spawn_reporter(*as.sys, {url, spool_dir, 100ms, true})) {}
  ~Reporter() { self->send_exit(rep, caf::exit_reason::user_shutdown); }

  bool send(const caf::message& msg) {
    bool stored = false;
    self->request(caf::actor_cast<caf::actor>(rep), 30s, msg)
        .receive([&](bool ok) { stored = ok; }, [&](caf::error& e) { FAIL("reporter: " << self->system().render(e)); });
    return stored;
  }
  ReportLedger ledger() {
    ReportLedger l;
    self->request(rep, 30s, replay_atom::value)
        .receive([&](ReportLedger& x) { l = x; }, [&](caf::error& e) { FAIL("reporter: " << self->system().render(e)); });
    return l;
  }
  // Waits (up to 20 s) for the ledger to satisfy `pred`.
  ReportLedger wait_for(const std::function<bool(const ReportLedger&)>& pred) {
    ReportLedger l;
    for (int i = 0; i < 200; ++i) {
      l = ledger();
      if (pred(l)) break;
      std::this_thread::sleep_for(100ms);
    }
    return l;
  }
};

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

// --- UTF-8 ---------------------------------------------------------------------------

TEST_CASE("integrity: utf8_clean makes any bytes valid UTF-8 without NUL, printable escapes controls", "[integrity]") {
  CHECK(utf8_valid("plain, é ● └─ 😀"));
  CHECK_FALSE(utf8_valid("\xC3"));                  // a lead byte alone
  CHECK_FALSE(utf8_valid("\xED\xA0\x80"));          // a surrogate
  CHECK_FALSE(utf8_valid("\xC0\xAF"));              // an overlong '/'
  CHECK_FALSE(utf8_valid("\xF4\x90\x80\x80"));      // above U+10FFFF
  CHECK(utf8_clean(std::string("a\0b", 3)) == "ab");
  CHECK(utf8_clean("x\xC3y") == "x\xEF\xBF\xBDy");
  CHECK(utf8_clean("\xE2\x97") == "\xEF\xBF\xBD");  // a cut 3-byte character is one U+FFFD
  CHECK(printable("title\x1b[2Jgone") == "title\\x1b[2Jgone");
  CHECK(printable("a\nb\tc\x7f") == "a\\nb\tc\\x7f");
  CHECK(printable("\xC2\x9B" "31m") == "\\u009b31m");  // C1 CSI
  std::mt19937 rng(2501);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 40, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    const std::string clean = utf8_clean(s);
    REQUIRE(utf8_valid(clean));
    REQUIRE(clean.find('\0') == std::string::npos);
    REQUIRE(utf8_valid(printable(s)));
  }
}

TEST_CASE("integrity: a snippet cut at any byte of 2-, 3- and 4-byte characters stays valid", "[integrity]") {
  const std::string text = "é●└─😀aé😀●";
  for (std::size_t max = 0; max <= text.size() + 1; ++max) {
    INFO("cut at " << max);
    const std::string cut = utf8_truncate(text, max);
    CHECK(utf8_valid(cut));
    CHECK(cut.size() <= std::max<std::size_t>(max, 3));
  }
}

TEST_CASE("integrity: random Unicode, invalid bytes and NUL in every text field survive codec, spool and database",
          "[integrity][db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_results_org(db.url());
  test::TempDir dir;
  Spool spool(dir.str());
  ReportStore store(db.url());
  store.start_benchmark(benchmark_record(bench_a));
  const std::vector<std::string> pieces = {"a", "Z", " ", "é", "●", "└─", "😀", "\xFF", "\xC3", "\xED\xA0\x80",
                                           std::string(1, '\0'), "\x1b[31m", "\"", "\\", "\n", "'"};
  std::mt19937 rng(12);
  auto random_text = [&] {
    std::string s;
    for (int i = rng() % 30; i > 0; --i) s += pieces[rng() % pieces.size()];
    return s;
  };
  const int n = 60;
  for (int i = 1; i <= n; ++i) {
    ScenarioReport r = report(bench_a, i);
    r.scenario_key = "k" + random_text();
    r.scenario_title = random_text();
    r.error_kind = random_text();
    r.error_message = random_text();
    r.ticket_id = random_text();
    r.job_id = random_text();
    r.resolution_status = random_text();
    r.log_path = random_text();
    r.rules_json = json_dump(nlohmann::json::array({{{"label", random_text()}, {"detail", utf8_truncate(random_text(), 80)}}}));
    r.tags_json = json_dump(nlohmann::json::array({random_text()}));
    r.phases_json = json_dump({{random_text(), {{"outcome", random_text()}}}});
    spool.append(bench_a, encode_op(r));
  }
  std::string refused;
  const auto res = spool.replay([&](const std::string& line) {
    auto op = decode_op(line);
    if (!op) return false;
    try {
      store.upsert_report(std::get<ScenarioReport>(*op));
    } catch (const std::exception& e) {
      refused = e.what();  // PostgreSQL refused a report for its text
      throw;
    }
    return true;
  });
  CHECK(refused == "");
  CHECK(res.applied == static_cast<std::size_t>(n));
  CHECK(scalar(db.url(), "SELECT count(*) FROM scenario_reports") == std::to_string(n));
  pqxx::connection c(db.url());
  pqxx::work w(c);
  for (const auto& row : w.exec("SELECT scenario_key, scenario_title, error_kind, error_message, ticket_id, job_id, "
                                "resolution_status, log_path, validate_playbook, rules::text, tags::text, phases::text "
                                "FROM scenario_reports")) {
    for (const auto& f : row) {
      const std::string v = f.is_null() ? "" : f.c_str();
      REQUIRE(utf8_valid(v));
      REQUIRE(v.find('\0') == std::string::npos);
    }
  }
}

// --- the spool on a full disk and in a folder that cannot exist ------------------------

TEST_CASE("integrity: a line that does not fit is cut back out, never left half-written", "[integrity]") {
  Tmpfs fs(64);
  Spool spool((fs.dir / "spool").string());
  spool.append("s", "{\"first\":1}");
  fs.fill();
  CHECK_THROWS_WITH(spool.append("s", "{\"big\":\"" + std::string(20000, 'x') + "\"}"),
                    Catch::Contains("cannot write") && Catch::Contains("No space left"));
  CHECK(lines_of(fs.dir / "spool" / "s.jsonl") == std::vector<std::string>{"{\"first\":1}"});
  fs.free_up();
  spool.append("s", "{\"second\":2}");
  CHECK(lines_of(fs.dir / "spool" / "s.jsonl") == std::vector<std::string>{"{\"first\":1}", "{\"second\":2}"});
}

TEST_CASE("integrity: a compaction that cannot be written leaves the spool as it was", "[integrity]") {
  Tmpfs fs(64);
  Spool spool((fs.dir / "spool").string());
  for (int i = 0; i < 20; ++i) spool.append("s", "{\"line\":" + std::to_string(i) + ",\"pad\":\"" + std::string(500, 'p') + "\"}");
  const auto before = lines_of(fs.dir / "spool" / "s.jsonl");
  fs.fill();
  int seen = 0;
  auto res = spool.replay([&](const std::string&) -> bool {
    if (++seen > 5) throw std::runtime_error("database went away");
    return true;
  });
  CHECK(res.remaining == 20);  // the old file, whole: the 5 applied lines are applied again later (upserts)
  CHECK(lines_of(fs.dir / "spool" / "s.jsonl") == before);
  CHECK_FALSE(std::filesystem::exists(fs.dir / "spool" / "s.jsonl.tmp"));
}

TEST_CASE("integrity: database stopped and spool on a full disk: reports wait in memory, nothing is lost",
          "[integrity][reporter][db]") {
  test::PrivateCluster pg;
  migrate_database(pg.url());
  seed_results_org(pg.url());
  Tmpfs fs(64);
  std::filesystem::create_directories(fs.dir / "spool");
  pg.stop();
  fs.fill();
  Reporter r(pg.url(), (fs.dir / "spool").string());
  CHECK_FALSE(r.send(caf::make_message(bench_start_atom::value, benchmark_record(bench_a))));
  for (int i = 1; i <= 5; ++i) CHECK_FALSE(r.send(caf::make_message(report_atom::value, report(bench_a, i))));
  auto l = r.ledger();  // the reporter is alive and knows where everything is
  CHECK(l.lost == 5);
  CHECK(l.spooled == 0);
  CHECK_FALSE(all_kept(l));
  CHECK(durability_lines(l, "").back().first);  // an error line that says LOST
  CHECK(durability_lines(l, "").back().second.find("5 LOST") != std::string::npos);

  fs.free_up();  // room again: the retry timer moves them to the spool, in order
  l = r.wait_for([](const ReportLedger& x) { return x.lost == 0; });
  CHECK(l.lost == 0);
  CHECK(l.spooled == 5);
  for (const auto& line : lines_of(fs.dir / "spool" / (bench_a + ".jsonl"))) CHECK(decode_op(line));

  pg.start();  // and then to the database, each once
  l = r.wait_for([](const ReportLedger& x) { return x.stored == 5; });
  CHECK(l.stored == 5);
  CHECK(l.spooled == 0);
  CHECK(scalar(pg.url(), "SELECT count(*) FROM scenario_reports") == "5");
  CHECK(scalar(pg.url(), "SELECT count(*) FROM benchmarks") == "1");
}

TEST_CASE("integrity: a spool folder that cannot be created does not kill the reporter", "[integrity][reporter][db]") {
  test::PrivateCluster pg;
  migrate_database(pg.url());
  seed_results_org(pg.url());
  test::TempDir dir;
  test::write_file(dir / "a-file", "x");
  pg.stop();
  Reporter r(pg.url(), (dir / "a-file" / "spool").string());
  CHECK_FALSE(r.send(caf::make_message(bench_start_atom::value, benchmark_record(bench_a))));
  for (int i = 1; i <= 3; ++i) CHECK_FALSE(r.send(caf::make_message(report_atom::value, report(bench_a, i))));
  CHECK(r.ledger().lost == 3);
  pg.start();
  auto l = r.wait_for([](const ReportLedger& x) { return x.stored == 3; });
  CHECK(l.stored == 3);
  CHECK(l.lost == 0);
  CHECK(all_kept(l));
  // Later writes go straight to the database again.
  CHECK(r.send(caf::make_message(report_atom::value, report(bench_a, 4))));
  CHECK(scalar(pg.url(), "SELECT count(*) FROM scenario_reports") == "4");
}

// --- a database that stops, restarts or freezes -------------------------------------------

TEST_CASE("integrity: a frozen database (SIGSTOP) costs a bounded wait, reports spool and replay", "[integrity][reporter][db]") {
  // runner_tests run with RUNNER_DB_STATEMENT_TIMEOUT_S=2 and RUNNER_DB_WAIT_S=8 (tests/test_main.cpp).
  test::PrivateCluster pg;
  migrate_database(pg.url());
  seed_results_org(pg.url());
  test::TempDir dir;
  Reporter r(pg.url(), dir.str());
  CHECK(r.send(caf::make_message(bench_start_atom::value, benchmark_record(bench_a))));
  CHECK(r.send(caf::make_message(report_atom::value, report(bench_a, 1))));
  pg.freeze();
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(r.send(caf::make_message(report_atom::value, report(bench_a, 2))));
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited < 10s);  // the watchdog cut the hung round trip; the report went to the spool
  CHECK(r.ledger().spooled == 1);
  pg.thaw();
  auto l = r.wait_for([](const ReportLedger& x) { return x.stored == 2; });
  CHECK(l.stored == 2);
  CHECK(scalar(pg.url(), "SELECT count(*) FROM scenario_reports") == "2");
}

TEST_CASE("integrity: the provisioner waits for a database that restarts or thaws, and gives up after the bound",
          "[integrity][db]") {
  test::PrivateCluster pg;
  migrate_database(pg.url());
  test::ActorSystem as;
  auto prov = spawn_provisioner(*as.sys, pg.url(), true, bench_a);
  caf::scoped_actor self{*as.sys};
  auto teardown = [&](std::optional<bool>& out) {
    self->request(prov, 60s, teardown_atom::value, bench_a, std::vector<std::string>{"hst_1"}, std::vector<std::string>{})
        .receive([&](bool ok) { out = ok; }, [&](caf::error& e) { FAIL(self->system().render(e)); });
  };
  SECTION("stopped, then started within the bound: the request succeeds") {
    pg.stop();
    std::thread later([&] {
      std::this_thread::sleep_for(2s);
      pg.start();
    });
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<bool> ok;
    teardown(ok);
    later.join();
    CHECK(ok == true);
    CHECK(std::chrono::steady_clock::now() - t0 >= 2s);
  }
  SECTION("frozen, then thawed within the bound: the request succeeds") {
    std::optional<bool> ok;
    teardown(ok);  // a session exists
    REQUIRE(ok == true);
    pg.freeze();
    std::thread later([&] {
      std::this_thread::sleep_for(4s);
      pg.thaw();
    });
    ok.reset();
    teardown(ok);
    later.join();
    CHECK(ok == true);
  }
  SECTION("away for longer than RUNNER_DB_WAIT_S: the answer is the failure") {
    pg.stop();
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<bool> ok;
    teardown(ok);
    CHECK(ok == false);
    CHECK(std::chrono::steady_clock::now() - t0 >= 7s);
    pg.start();
  }
  self->send_exit(prov, caf::exit_reason::user_shutdown);
}

// --- two runners --------------------------------------------------------------------------

TEST_CASE("integrity: a host is held by one iteration across sessions, and live overrides are respected", "[integrity][db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  const std::string tenant = "tnt_demo";
  const std::string host = "hst_demo01", agent = "agt_demo01";
  db.query("INSERT INTO tenants (id, name) VALUES ('" + tenant + "', 't')");
  db.query("INSERT INTO organizations (id, tenant_id, name) VALUES ('" + test::results_org + "', '" + tenant + "', 'org')");
  const std::string& org = test::results_org;
  db.query("INSERT INTO hosts (id, organization_id, name, connection) VALUES ('" + host + "', '" + org + "', 'h', 'local')");
  db.query("INSERT INTO agents (id, organization_id, host_id, name, main_engine) VALUES ('" + agent + "', '" + org + "', '" +
           host + "', 'a', 'main-0')");
  PlatformStore a(db.url()), b(db.url());
  CHECK(a.hold_hosts(bench_a, "disk-full", 1, {host}) == "");
  const std::string busy = b.hold_hosts(bench_b, "disk-full", 2, {host});
  CHECK(busy.find("host " + host + " is held by benchmark " + bench_a + " (disk-full #1, since ") == 0);
  CHECK(a.apply_overrides(bench_a, {agent}, "main-A", "", "") == "");
  CHECK(b.apply_overrides(bench_b, {agent}, "main-B", "", "") ==
        "agent " + agent + " is overridden by benchmark " + bench_a + ", which is still running");
  CHECK(db.query("SELECT main_engine FROM agents") == "main-A");  // no flip
  a.restore_overrides(bench_a, {agent});
  a.release_hosts(bench_a, {host});
  CHECK(b.hold_hosts(bench_b, "disk-full", 2, {host}) == "");
  CHECK(db.query("SELECT benchmark_id::text || ' ' || iteration FROM host_holds") == bench_b + " 2");
  CHECK(b.apply_overrides(bench_b, {agent}, "main-B", "", "") == "");
  CHECK(db.query("SELECT main_engine FROM agents") == "main-B");
  b.restore_overrides(bench_b, {agent});
  b.release_hosts(bench_b, {host});
  CHECK(db.query("SELECT count(*) FROM host_holds") == "0");
}

TEST_CASE("integrity: a benchmark left running by a run that died is marked aborted, a live one is not",
          "[integrity][db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_results_org(db.url());
  ReportStore store(db.url());
  store.start_benchmark(benchmark_record(bench_a));  // its run died: nobody holds its lock
  store.upsert_report(report(bench_a, 1));
  store.start_benchmark(benchmark_record(bench_b));
  PlatformStore live(db.url());
  live.hold_run_lock(bench_b);  // its run is alive
  CHECK(PlatformStore(db.url()).mark_abandoned_runs() == 1);
  CHECK(db.query("SELECT status || ' ' || total || ' ' || (aborted_found_at IS NOT NULL) FROM benchmarks WHERE id = '" +
                 bench_a + "'") == "aborted 1 true");
  CHECK(db.query("SELECT status FROM benchmarks WHERE id = '" + bench_b + "'") == "running");
}
