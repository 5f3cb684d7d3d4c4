// Schema migrations, pre-flight identity checks, connection failures and the report
// store, against a real PostgreSQL (a fresh database per test).
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "adapters/db/database.hpp"
#include "adapters/db/identity_check.hpp"
#include "adapters/db/migrator.hpp"
#include "adapters/db/platform_id.hpp"
#include "adapters/db/platform_store.hpp"
#include "adapters/db/report_codec.hpp"
#include "adapters/db/report_store.hpp"
#include "adapters/db/run_history.hpp"
#include "app/preflight.hpp"
#include "tests/support/pg.hpp"

using namespace runner;

namespace {

const std::string org = "org_demo";
const std::string tenant = "tnt_demo";
const std::string user = "usr_demo";
const std::string other_org = "org_other";
const std::string other_tenant = "tnt_other";
const std::string other_user = "usr_other";

// Two tenants, each containing one organization with one user (reference 2.1).
void seed_identities(const test::TestDatabase& db) {
  db.query("INSERT INTO tenants (id, name) VALUES ('" + tenant + "', 't'), ('" + other_tenant + "', 'ot')");
  db.query("INSERT INTO organizations (id, tenant_id, name) VALUES ('" + org + "', '" + tenant + "', 'org'), ('" +
           other_org + "', '" + other_tenant + "', 'other')");
  db.query("INSERT INTO users (id, organization_id, email) VALUES ('" + user + "', '" + org +
           "', 'u@example.invalid'), ('" + other_user + "', '" + other_org + "', 'o@example.invalid')");
}

ScenarioReport sample_report(const std::string& benchmark, int iteration, const std::string& status) {
  ScenarioReport r;
  r.benchmark_id = benchmark;
  r.scenario_key = "disk-full";
  r.scenario_title = "Disk full";
  r.tags_json = R"(["disk"])";
  r.iteration = iteration;
  r.status = *parse_iteration_status(status);
  r.compliance_score = status == "passed" ? 100.0 : 50.0;
  r.rules_json = R"([{"label":"df","scope":"tasks","validator":"pattern_match","required":true,"negate":false,"outcome":"passed","detail":"matched in task 1"}])";
  r.validate_playbook = "passed";
  r.ticket_id = "tkt-1";
  r.job_id = "job-1";
  r.resolution_status = "success";
  r.task_count = 1;
  r.tokens_json = R"({"prompt":10,"completion":5,"total":15})";
  r.phases_json = R"({"prepare":{"started_at":"2026-11-26T10:00:00Z","duration_ms":1200,"outcome":"ok"}})";
  r.started_at = "2026-11-26T10:00:00Z";
  r.finished_at = "2026-11-26T10:01:00Z";
  r.duration_ms = 60000;
  return r;
}

BenchmarkRecord sample_benchmark(const std::string& id) {
  BenchmarkRecord b;
  b.id = id;
  b.organization_id = org;
  b.tenant_id = tenant;
  b.user_id = user;
  b.started_at = "2026-11-26T10:00:00Z";
  b.options_json = R"({"mode":"host","iterations":2})";
  b.runner_version = "0.1.0";
  return b;
}

}  // namespace

TEST_CASE("db: migrations apply once, in order, and a second run changes nothing", "[db]") {
  test::TestDatabase db;
  CHECK(pending_migrations(db.url()).size() == embedded_migrations().size());
  auto first = migrate_database(db.url());
  CHECK(first.applied.size() == embedded_migrations().size());
  CHECK(first.already == 0);
  auto second = migrate_database(db.url());
  CHECK(second.applied.empty());
  CHECK(second.already == embedded_migrations().size());
  CHECK(pending_migrations(db.url()).empty());
  CHECK(db.query("SELECT count(*) FROM schema_migrations") == std::to_string(embedded_migrations().size()));
  for (const char* table : {"organizations", "tenants", "users", "hosts", "agents", "benchmarks", "scenario_reports"})
    CHECK(db.query(std::string("SELECT to_regclass('") + table + "')::text") == table);
}

TEST_CASE("db: a failing migration rolls back and is not recorded", "[db]") {
  test::TestDatabase db;
  std::vector<Migration> bad = {{"0001", "0001_ok", "CREATE TABLE a (x int);"},
                                {"0002", "0002_broken", "CREATE TABLE b (x int); SELECT nonsense_fn();"}};
  CHECK_THROWS_AS(migrate_database(db.url(), bad), DbError);
  CHECK(db.query("SELECT count(*) FROM schema_migrations") == "1");
  CHECK(db.query("SELECT to_regclass('b')::text").empty());
}

TEST_CASE("db: pre-flight names each wrong ID", "[db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_identities(db);
  CHECK(check_identities(db.url(), org, tenant, user).empty());
  CHECK(check_identity_ids(db.url(), org, tenant, user).ok);

  const std::string missing = "org_missing";
  auto p = check_identities(db.url(), missing, tenant, user);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "ORG_ID " + missing + " not found in organizations");

  p = check_identities(db.url(), org, missing, user);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "TENANT_ID " + missing + " not found in tenants");

  p = check_identities(db.url(), org, tenant, missing);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "USER_ID " + missing + " not found in users");

  // The organization is not the tenant's; the user is not the organization's.
  p = check_identities(db.url(), org, other_tenant, user);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "ORG_ID " + org + " belongs to tenant " + tenant + ", not TENANT_ID " + other_tenant);
  p = check_identities(db.url(), org, tenant, other_user);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "USER_ID " + other_user + " belongs to organization " + other_org + ", not ORG_ID " + org);

  // IDs are the platform's strings; only empty, blank, control-laden or overlong ones are refused.
  p = check_identities(db.url(), "", tenant, "usr demo");
  REQUIRE(p.size() == 2);
  CHECK(p[0] == "ORG_ID '' is empty");
  CHECK(p[1] == "USER_ID 'usr demo' contains whitespace, a control or an invisible character");
  p = check_identities(db.url(), org, std::string(129, 't'), user);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "TENANT_ID '" + std::string(129, 't') + "' is longer than 128 characters");

  // A UUID is still an ID, and upper case is the same UUID (migrated rows hold lower case).
  const std::string uuid_org = "6f9c1e2a-0000-4000-8000-0000000000aa";
  db.query("INSERT INTO organizations (id, tenant_id, name) VALUES ('" + uuid_org + "', '" + tenant + "', 'u')");
  db.query("UPDATE users SET organization_id = '" + uuid_org + "' WHERE id = '" + user + "'");
  CHECK(check_identities(db.url(), "6F9C1E2A-0000-4000-8000-0000000000AA", tenant, user).empty());
}

TEST_CASE("db: migration 0006 carries a database of the UUID schema over to text IDs and tenants containing organizations", "[db]") {
  test::TestDatabase db;
  std::vector<Migration> before;
  for (const auto& m : embedded_migrations())
    if (m.version < "0006") before.push_back(m);
  migrate_database(db.url(), before);
  // The old shape: tenants point at organizations; users, hosts and agents at tenants.
  const std::string o1 = "11111111-0000-4000-8000-000000000001", o2 = "11111111-0000-4000-8000-000000000002";
  const std::string t1 = "22222222-0000-4000-8000-000000000001", t2 = "22222222-0000-4000-8000-000000000002";
  const std::string u1 = "33333333-0000-4000-8000-000000000001", h1 = "44444444-0000-4000-8000-000000000001";
  const std::string a1 = "55555555-0000-4000-8000-000000000001";
  const std::string bench = "66666666-0000-4000-8000-000000000001";
  db.query("INSERT INTO organizations VALUES ('" + o1 + "', 'one'), ('" + o2 + "', 'orphan')");
  db.query("INSERT INTO tenants (id, organization_id, name) VALUES ('" + t1 + "', '" + o1 + "', 't1'), ('" + t2 +
           "', '" + o1 + "', 't2')");
  db.query("INSERT INTO users VALUES ('" + u1 + "', '" + t1 + "', 'u@example.invalid')");
  db.query("INSERT INTO hosts (id, tenant_id, name) VALUES ('" + h1 + "', '" + t2 + "', 'web')");
  db.query("INSERT INTO agents (id, tenant_id, host_id, name) VALUES ('" + a1 + "', '" + t2 + "', '" + h1 + "', 'ag')");
  db.query("INSERT INTO agent_overrides (agent_id, benchmark_id, original_main_engine) VALUES ('" + a1 + "', '" +
           bench + "', 'm')");
  db.query("INSERT INTO benchmarks (id, organization_id, tenant_id, user_id, status, started_at, runner_version) VALUES ('" +
           bench + "', '" + o1 + "', '" + t1 + "', '" + u1 + "', 'completed', now(), 'old')");

  auto out = migrate_database(db.url());
  REQUIRE_FALSE(out.applied.empty());
  REQUIRE(out.applied.front() == "0006_platform_ids");
  // Every row is kept, with its UUID as text, now the right way round.
  CHECK(db.query("SELECT tenant_id FROM organizations WHERE id = '" + o1 + "'") == t1);  // the smallest of its tenants
  CHECK(db.query("SELECT tenant_id FROM organizations WHERE id = '" + o2 + "'") == o2);  // a tenant of its own
  CHECK(db.query("SELECT name FROM tenants WHERE id = '" + o2 + "'") == "orphan");
  CHECK(db.query("SELECT organization_id FROM users WHERE id = '" + u1 + "'") == o1);
  // t2 shared o1 with t1: it gets an organization of its own (its id), and its rows go there,
  // so t1's and t2's hosts never merge.
  CHECK(db.query("SELECT tenant_id || ' ' || name FROM organizations WHERE id = '" + t2 + "'") == t2 + " one");
  CHECK(db.query("SELECT organization_id FROM hosts WHERE id = '" + h1 + "'") == t2);
  CHECK(db.query("SELECT organization_id || ' ' || host_id FROM agents WHERE id = '" + a1 + "'") == t2 + " " + h1);
  CHECK(db.query("SELECT agent_id FROM agent_overrides") == a1);
  CHECK(db.query("SELECT organization_id || tenant_id || user_id FROM benchmarks") == o1 + t1 + u1);
  CHECK(db.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'hosts' AND column_name = 'id'") ==
        "text");
  // The configuration that worked before still passes pre-flight (upper case included).
  std::string upper = u1;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(check_identities(db.url(), o1, t1, upper).empty());
  // t2's configuration now names its own organization.
  db.query("INSERT INTO users (id, organization_id, email) VALUES ('usr_t2', '" + t2 + "', 'x')");
  CHECK(check_identities(db.url(), t2, t2, "usr_t2").empty());
  // The keys hold: an agent's host cascades, a user needs an organization.
  db.query("DELETE FROM hosts WHERE id = '" + h1 + "'");
  CHECK(db.query("SELECT count(*) FROM agents") == "0");
  CHECK_THROWS(db.query("INSERT INTO users (id, organization_id, email) VALUES ('usr_x', 'org_nowhere', 'x')"));
}

TEST_CASE("db: platform IDs are 1 to 128 printable characters, counted as characters", "[db]") {
  CHECK_FALSE(platform_id_problem("hst_web01"));
  CHECK_FALSE(platform_id_problem("agt_xyz789"));
  CHECK_FALSE(platform_id_problem(std::string(128, 'a')));
  // 128 characters of two bytes each: fine (characters, not bytes).
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "\xc3\xa9";
  CHECK_FALSE(platform_id_problem(wide));
  CHECK(platform_id_problem(wide + "a") == "is longer than 128 characters");
  CHECK(platform_id_problem("") == "is empty");
  CHECK(platform_id_problem("a\tb") == "contains whitespace, a control or an invisible character");
  CHECK(platform_id_problem("a\xc2\x85") == "contains whitespace, a control or an invisible character");  // NEL (C1)
  CHECK(platform_id_problem("\xff") == "is not valid UTF-8");
  CHECK(platform_id_problem("org\xe2\x80\xa8x") == "contains whitespace, a control or an invisible character");  // U+2028
  CHECK(platform_id_problem("\xef\xbb\xbforg") == "contains whitespace, a control or an invisible character");   // BOM
  CHECK(canonical_platform_id("6F9C1E2A-0000-4000-8000-0000000000AA") == "6f9c1e2a-0000-4000-8000-0000000000aa");
  CHECK(canonical_platform_id("HST_Web01") == "HST_Web01");  // not a UUID: case matters
}

TEST_CASE("db: schema not migrated fails the database check with the fix", "[db]") {
  test::TestDatabase db;
  auto r = check_database(db.url());
  CHECK_FALSE(r.ok);
  CHECK(r.detail.find("run `2501-runner db migrate`") != std::string::npos);
  migrate_database(db.url());
  CHECK(check_database(db.url()).ok);
}

TEST_CASE("db: bad DATABASE_URL, refused connection, wrong password, missing database", "[db]") {
  auto kind_of = [](const std::string& url) {
    try {
      connect_database(url, 3);
    } catch (const DbError& e) {
      CHECK(std::string(e.what()).find("s3cr3t-pw") == std::string::npos);
      return e.kind;
    }
    FAIL("connected");
    return DbError::Kind::other;
  };
  CHECK(kind_of("postgresql://u:s3cr3t-pw@127.0.0.1/db?frobnicate=1") == DbError::Kind::bad_url);
  CHECK(kind_of("postgresql://u:s3cr3t-pw@127.0.0.1:" + std::to_string(test::free_port()) + "/db") ==
        DbError::Kind::refused);
  const std::string admin = test::admin_database_url();
  std::string wrong = admin;
  const auto colon = wrong.find(':', wrong.find("://") + 3), at = wrong.find('@');
  wrong.replace(colon + 1, at - colon - 1, "s3cr3t-pw");
  CHECK(kind_of(wrong) == DbError::Kind::auth);
  CHECK(kind_of(test::with_database(admin, "no_such_db_here")) == DbError::Kind::no_database);
}

TEST_CASE("db: report store upserts idempotently and finalizes totals from the rows", "[db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_identities(db);
  const std::string id = "11111111-1111-4111-8111-111111111111";
  ReportStore store(db.url());
  store.start_benchmark(sample_benchmark(id));
  store.start_benchmark(sample_benchmark(id));  // a replay: no second row
  store.upsert_report(sample_report(id, 1, "failed"));
  store.upsert_report(sample_report(id, 1, "passed"));  // same iteration: updated, not added
  auto r2 = sample_report(id, 2, "error");
  r2.compliance_score.reset();
  r2.task_count.reset();
  r2.error_kind = "timeout";
  store.upsert_report(r2);
  store.finish_benchmark(id, "completed", "2026-11-26T10:05:00Z");
  CHECK(db.query("SELECT count(*) FROM benchmarks") == "1");
  CHECK(db.query("SELECT count(*) FROM scenario_reports") == "2");
  CHECK(db.query("SELECT status FROM scenario_reports WHERE iteration = 1") == "passed");
  CHECK(db.query("SELECT compliance_score IS NULL AND task_count IS NULL FROM scenario_reports WHERE iteration = 2") == "t");
  CHECK(db.query("SELECT rules->0->>'outcome' FROM scenario_reports WHERE iteration = 1") == "passed");
  CHECK(db.query("SELECT status || ' ' || total || ' ' || passed || ' ' || failed || ' ' || errored FROM benchmarks") ==
        "completed 2 1 0 1");
  CHECK(db.query("SELECT pass_rate FROM benchmarks") == "0.5");
}

TEST_CASE("codec: every report field survives a spool line", "[db]") {
  auto r = sample_report("11111111-1111-4111-8111-111111111111", 3, "failed");
  r.error_message = "line1\nline \"2\"";
  auto decoded = decode_op(encode_op(r));
  REQUIRE(decoded);
  const auto& d = std::get<ScenarioReport>(*decoded);
  CHECK(d.iteration == 3);
  CHECK(d.error_message == r.error_message);
  CHECK(d.compliance_score == 50.0);
  CHECK(d.task_count == 1);
  CHECK(d.rules_json == r.rules_json);
  CHECK(d.phases_json == r.phases_json);
  CHECK(d.duration_ms == 60000);
  auto b = decode_op(encode_op(sample_benchmark("b")));
  REQUIRE(b);
  CHECK(std::get<BenchmarkRecord>(*b).options_json == R"({"mode":"host","iterations":2})");
  CHECK_FALSE(decode_op("{\"op\":\"report\",\"benchmark_id\":\"x\""));  // torn line
}

TEST_CASE("db: agent overrides are saved, restored, and repaired after a dead run", "[db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_identities(db);
  const std::string host = "hst_demo01", agent = "agt_demo01";
  db.query("INSERT INTO hosts (id, organization_id, name, connection) VALUES ('" + host + "', '" + org + "', 'h', 'local')");
  db.query("INSERT INTO agents (id, organization_id, host_id, name, main_engine, secondary_engine, specialty) VALUES ('" +
           agent + "', '" + org + "', '" + host + "', 'a', 'main-0', 'second-0', 'SYSOPS')");
  auto settings = [&] { return db.query("SELECT main_engine || ' ' || secondary_engine || ' ' || specialty FROM agents"); };

  ProvisionRequest req;
  req.organization_id = org;
  req.host_ids = {host};
  req.host_names = {"web-01"};
  req.agent_ids = {agent};
  {
    PlatformStore store(db.url());
    auto res = store.resolve(req);
    REQUIRE(res.ok);
    CHECK(res.hosts[0].inventory_name == "web-01");
    CHECK(res.hosts[0].connection == "local");
    CHECK(res.agent_host_ids == std::vector<std::string>{host});
    store.apply_overrides("55555555-5555-4555-8555-555555555555", {agent}, "main-X", "", "DATABASE_MANAGER");
    CHECK(settings() == "main-X second-0 DATABASE_MANAGER");
    store.restore_overrides("55555555-5555-4555-8555-555555555555", {agent});
    CHECK(settings() == "main-0 second-0 SYSOPS");
    CHECK(db.query("SELECT count(*) FROM agent_overrides") == "0");
  }
  {
    // A run applies overrides and dies (its session, and so its run lock, ends).
    PlatformStore dying(db.url());
    dying.apply_overrides("66666666-6666-4666-8666-666666666666", {agent}, "main-Y", "second-Y", "");
  }
  CHECK(settings() == "main-Y second-Y SYSOPS");
  PlatformStore alive(db.url());
  alive.apply_overrides("77777777-7777-4777-8777-777777777777", {}, "", "", "");  // nothing to do
  PlatformStore next(db.url());
  CHECK(next.repair_overrides() == 1);
  CHECK(settings() == "main-0 second-0 SYSOPS");

  // A live run's overrides are left alone by another process's repair.
  PlatformStore live(db.url());
  live.apply_overrides("88888888-8888-4888-8888-888888888888", {agent}, "main-Z", "", "");
  CHECK(PlatformStore(db.url()).repair_overrides() == 0);
  CHECK(settings() == "main-Z second-0 SYSOPS");
  live.restore_overrides("88888888-8888-4888-8888-888888888888", {agent});

  ProvisionRequest missing = req;
  missing.host_ids = {"hst_dead"};
  auto res = PlatformStore(db.url()).resolve(missing);
  CHECK_FALSE(res.ok);
  CHECK(res.error == "host_id hst_dead not found among the hosts of organization " + org);
  missing.host_ids = {"hst dead"};
  CHECK(PlatformStore(db.url()).resolve(missing).error == "host_id 'hst dead' contains whitespace, a control or an invisible character");
  // The host and agent of another organization are not this run's.
  db.query("INSERT INTO hosts (id, organization_id, name) VALUES ('hst_other', '" + other_org + "', 'o')");
  missing.host_ids = {"hst_other"};
  CHECK(PlatformStore(db.url()).resolve(missing).error == "host_id hst_other not found among the hosts of organization " + org);
}

TEST_CASE("db: VM clones as ephemeral rows, deleted by id or by name, and run liveness by lock", "[db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_identities(db);
  PlatformStore store(db.url());
  RegisterRequest req;
  req.organization_id = org;
  HostRow web;
  web.name = "r2501-abc-web-1-aaaa";
  web.inventory_name = "web";
  web.address = "10.231.0.7";
  web.ssh_user = "debian";
  web.ansible_vars_json = R"({"ansible_become":true})";
  req.hosts = {web};
  req.agent_names = {"web-agent"};
  req.agent_host_names = {"web"};
  req.agent_specialties = {"SERVICES_MANAGER"};
  req.main_engine = "engine-x";
  ProvisionResult r = store.register_ephemeral(req);
  REQUIRE(r.ok);
  REQUIRE(r.hosts.size() == 1);
  REQUIRE(r.agent_ids.size() == 1);
  CHECK(r.agent_host_ids[0] == r.hosts[0].id);
  // Rows the runner creates get IDs in the platform's shape.
  CHECK(r.hosts[0].id.rfind("hst_", 0) == 0);
  CHECK(r.agent_ids[0].rfind("agt_", 0) == 0);
  CHECK(db.query("SELECT ephemeral::text || address || (ansible_vars->>'ansible_become') FROM hosts") == "true10.231.0.7true");
  CHECK(db.query("SELECT ephemeral::text || specialty || main_engine || (secondary_engine IS NULL)::text FROM agents") ==
        "trueSERVICES_MANAGERengine-xtrue");
  store.delete_ephemeral({r.hosts[0].id}, r.agent_ids);
  CHECK(db.query("SELECT count(*) FROM hosts") == "0");
  CHECK(db.query("SELECT count(*) FROM agents") == "0");

  // An agent on a host the scenario lacks: nothing is registered at all.
  req.agent_host_names = {"db"};
  ProvisionResult bad = store.register_ephemeral(req);
  CHECK_FALSE(bad.ok);
  CHECK(bad.error.find("'db'") != std::string::npos);
  CHECK(db.query("SELECT count(*) FROM hosts") == "0");

  // Reaping by name takes the host and, by cascade, its agents; never a non-ephemeral host.
  req.agent_host_names = {"web"};
  REQUIRE(store.register_ephemeral(req).ok);
  db.query("INSERT INTO hosts (organization_id, name) VALUES ('" + org + "', 'r2501-abc-web-1-aaaa')");  // not ours
  CHECK(store.delete_ephemeral_hosts_named({"r2501-abc-web-1-aaaa"}) == 1);
  CHECK(db.query("SELECT count(*) FROM hosts") == "1");
  CHECK(db.query("SELECT count(*) FROM agents") == "0");

  const std::string run = "22222222-2222-4222-8222-222222222222";
  PlatformStore observer(db.url());
  CHECK_FALSE(observer.run_alive(run));
  {
    PlatformStore live(db.url());
    live.hold_run_lock(run);
    CHECK(observer.run_alive(run));
  }
  // The holder's session ended: dead. PostgreSQL frees the lock when the backend
  // exits, a moment after the client disconnects, so look for up to 5 s.
  bool alive = true;
  for (int i = 0; i < 50 && alive; ++i) {
    alive = observer.run_alive(run);
    if (alive) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK_FALSE(alive);
}

TEST_CASE("db: the broker's duration hint is the median of a scenario's finished reports", "[db]") {
  test::TestDatabase db;
  migrate_database(db.url());
  seed_identities(db);
  const std::string id = "33333333-3333-4333-8333-333333333333";
  ReportStore store(db.url());
  store.start_benchmark(sample_benchmark(id));
  const std::int64_t durations[] = {10'000, 30'000, 20'000};
  for (int i = 1; i <= 3; ++i) {
    auto r = sample_report(id, i, "passed");
    r.duration_ms = durations[i - 1];
    store.upsert_report(r);
  }
  auto errored = sample_report(id, 4, "error");  // errors say nothing about the duration
  errored.duration_ms = 999'000;
  store.upsert_report(errored);
  auto quoted = sample_report(id, 1, "failed");
  quoted.scenario_key = "web/\"odd\", key";
  quoted.duration_ms = 5'000;
  store.upsert_report(quoted);
  auto m = median_durations(db.url(), {"disk-full", "web/\"odd\", key", "never-ran"});
  CHECK(m.size() == 2);
  CHECK(m["disk-full"] == 20'000);
  CHECK(m["web/\"odd\", key"] == 5'000);
  CHECK(median_durations(db.url(), {}).empty());
}
