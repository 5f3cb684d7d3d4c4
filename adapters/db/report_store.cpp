#include "adapters/db/report_store.hpp"

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "adapters/db/database.hpp"
#include "adapters/db/watchdog.hpp"
#include "adapters/json/json_text.hpp"
#include "adapters/log/redactor.hpp"
#include "adapters/text/utf8.hpp"

namespace runner {
namespace {

// NULL for an absent optional, as text the SQL casts.
// Shortest text that reads back as the same double (std::to_string keeps 6 decimals only).
std::string opt_text(const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); }
std::string opt_text(const std::optional<int>& v) { return v ? std::to_string(*v) : std::string(); }

// Every text reaches PostgreSQL with every registered secret masked (an engine may
// echo a key into an error body), as valid UTF-8 without NUL, and every JSON column
// as jsonb-safe JSON: a report is never refused for the agent's output.
std::string t(const std::string& s) { return utf8_clean(global_redactor().redact(s)); }
std::string j(const std::string& s) { return json_for_database(global_redactor().redact(s)); }

}  // namespace

ScenarioReport stored_form(const ScenarioReport& in) {
  ScenarioReport r = in;
  for (std::string* s : {&r.scenario_key, &r.scenario_title, &r.error_kind, &r.error_message, &r.validate_playbook,
                         &r.ticket_id, &r.job_id, &r.resolution_status, &r.log_path})
    *s = t(*s);
  for (std::string* s : {&r.tags_json, &r.rules_json, &r.host_ids_json, &r.agent_ids_json, &r.tokens_json, &r.phases_json})
    *s = j(*s);
  for (std::string* s : {&r.trajectory_json, &r.chaos_json, &r.platform_json, &r.attempts_json})
    if (!s->empty()) *s = j(*s);
  return r;
}

struct ReportStore::Impl {
  std::string url;
  std::unique_ptr<pqxx::connection> conn;
  Watchdog watchdog{database_timeouts().statement};  // a frozen server must not stall the reporter

  pqxx::connection& connection() {
    if (!conn || !conn->is_open()) conn = connect_database(url);
    return *conn;
  }

  // Runs fn in one transaction; failures become DbError and drop the connection.
  template <class Fn>
  void write(Fn&& fn);
};

ReportStore::ReportStore(std::string database_url) : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(database_url);
}
ReportStore::~ReportStore() = default;

template <class Fn>
void ReportStore::Impl::write(Fn&& fn) {
  auto& conn_ = conn;
  auto away = [&](const std::string& what) {
    if (watchdog.fired())
      return DbError(DbError::Kind::timeout, "database did not answer within " +
                                                 std::to_string(database_timeouts().statement.count()) + " s");
    return classify_db_error(what);
  };
  try {
    auto& c = connection();
    auto guard = watchdog.watch(c.sock());
    pqxx::work w(c);
    fn(w);
    w.commit();
  } catch (const DbError&) {
    conn_.reset();
    throw;
  } catch (const pqxx::sql_error& e) {
    conn_.reset();
    // A lost connection, a shutdown, a deadlock, a full server disk: the write waits
    // in the spool and is tried again. Anything else is this write's own fault.
    if (transient_sqlstate(e.sqlstate())) throw away(e.what());
    throw DbError(DbError::Kind::query, std::string("database rejected the write: ") + e.what());
  } catch (const std::exception& e) {
    conn_.reset();  // a broken connection is re-opened on the next write
    throw away(e.what());
  }
}

namespace {
void insert_benchmark(pqxx::work& w, const BenchmarkRecord& b) {
  w.exec_params(
      "INSERT INTO benchmarks (id, organization_id, tenant_id, user_id, status, started_at, options, "
      "runner_version, scenarios_commit, rescored_from, name) VALUES ($1::uuid, $2, $3, $4, $5, $6::timestamptz, "
      "$7::jsonb, $8, NULLIF($9, ''), NULLIF($10, '')::uuid, NULLIF($11, '')) ON CONFLICT (id) DO NOTHING",
      b.id, b.organization_id, b.tenant_id, b.user_id, b.status, b.started_at, j(b.options_json), t(b.runner_version),
      t(b.scenarios_commit), b.rescored_from, t(b.name));
}

void upsert(pqxx::work& w, const ScenarioReport& r) {
  w.exec_params(
      "INSERT INTO scenario_reports (benchmark_id, scenario_key, scenario_title, tags, iteration, mode, gateway, "
      "status, error_kind, error_message, compliance_score, rules, validate_playbook, ticket_id, job_id, "
      "resolution_status, task_count, host_ids, agent_ids, tokens, phases, log_path, started_at, finished_at, "
      "duration_ms, trajectory, chaos, platform, attempts) VALUES ($1::uuid, $2, $3, $4::jsonb, $5, $6, $7, $8, NULLIF($9, ''), NULLIF($10, ''), "
      "NULLIF($11, '')::double precision, $12::jsonb, $13, NULLIF($14, ''), NULLIF($15, ''), NULLIF($16, ''), "
      "NULLIF($17, '')::int, $18::jsonb, $19::jsonb, $20::jsonb, $21::jsonb, NULLIF($22, ''), $23::timestamptz, "
      "$24::timestamptz, $25, NULLIF($26, '')::jsonb, NULLIF($27, '')::jsonb, NULLIF($28, '')::jsonb, NULLIF($29, '')::jsonb) "
      "ON CONFLICT (benchmark_id, scenario_key, iteration) DO UPDATE SET scenario_title = EXCLUDED.scenario_title, "
      "tags = EXCLUDED.tags, mode = EXCLUDED.mode, gateway = EXCLUDED.gateway, status = EXCLUDED.status, "
      "error_kind = EXCLUDED.error_kind, error_message = EXCLUDED.error_message, "
      "compliance_score = EXCLUDED.compliance_score, rules = EXCLUDED.rules, "
      "validate_playbook = EXCLUDED.validate_playbook, ticket_id = EXCLUDED.ticket_id, job_id = EXCLUDED.job_id, "
      "resolution_status = EXCLUDED.resolution_status, task_count = EXCLUDED.task_count, "
      "host_ids = EXCLUDED.host_ids, agent_ids = EXCLUDED.agent_ids, tokens = EXCLUDED.tokens, "
      "phases = EXCLUDED.phases, log_path = EXCLUDED.log_path, started_at = EXCLUDED.started_at, "
      "finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms, trajectory = EXCLUDED.trajectory, chaos = EXCLUDED.chaos, "
      "platform = EXCLUDED.platform, attempts = EXCLUDED.attempts",
      r.benchmark_id, t(r.scenario_key), t(r.scenario_title), j(r.tags_json), r.iteration, r.mode, r.gateway,
      to_string(r.status), t(r.error_kind), t(r.error_message), opt_text(r.compliance_score), j(r.rules_json),
      t(r.validate_playbook), t(r.ticket_id), t(r.job_id), t(r.resolution_status), opt_text(r.task_count),
      j(r.host_ids_json), j(r.agent_ids_json), j(r.tokens_json), j(r.phases_json), t(r.log_path), r.started_at,
      r.finished_at, r.duration_ms, r.trajectory_json.empty() ? std::string() : j(r.trajectory_json),
      r.chaos_json.empty() ? std::string() : j(r.chaos_json), r.platform_json.empty() ? std::string() : j(r.platform_json),
      r.attempts_json.empty() ? std::string() : j(r.attempts_json));
}

void finalize(pqxx::work& w, const std::string& id, const std::string& status, const std::string& finished_at,
            const std::string& capacity_json) {
  w.exec_params(
      "UPDATE benchmarks b SET status = $2, finished_at = $3::timestamptz, total = s.total, passed = s.passed, "
      "failed = s.failed, errored = s.errored, "
      "pass_rate = CASE WHEN s.total > 0 THEN s.passed::double precision / s.total END, "
      "mean_compliance = s.mean_compliance, capacity = coalesce(NULLIF($4, '')::jsonb, b.capacity) "
      "FROM (SELECT count(*) AS total, count(*) FILTER (WHERE status = 'passed') AS passed, "
      "count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'error') AS errored, "
      "avg(compliance_score) AS mean_compliance FROM scenario_reports WHERE benchmark_id = $1::uuid) s "
      "WHERE b.id = $1::uuid",
      id, status, finished_at, capacity_json.empty() ? capacity_json : j(capacity_json));
}
}  // namespace

void ReportStore::start_benchmark(const BenchmarkRecord& b) {
  impl_->write([&](pqxx::work& w) { insert_benchmark(w, b); });
}

void ReportStore::upsert_report(const ScenarioReport& r) {
  impl_->write([&](pqxx::work& w) { upsert(w, r); });
}

void ReportStore::finish_benchmark(const std::string& id, const std::string& status, const std::string& finished_at,
                                   const std::string& capacity_json) {
  impl_->write([&](pqxx::work& w) { finalize(w, id, status, finished_at, capacity_json); });
}

void ReportStore::store_whole(const BenchmarkRecord& b, const std::vector<ScenarioReport>& reports,
                              const std::string& status, const std::string& finished_at) {
  impl_->write([&](pqxx::work& w) {
    insert_benchmark(w, b);
    for (const auto& r : reports) upsert(w, r);
    finalize(w, b.id, status, finished_at, "");
  });
}

}  // namespace runner
