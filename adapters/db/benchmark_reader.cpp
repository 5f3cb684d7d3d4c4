#include "adapters/db/benchmark_reader.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <cctype>

#include "adapters/db/database.hpp"

namespace runner {
namespace {

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : std::string(f.c_str()); }

bool hex_prefix(const std::string& s) {
  if (s.size() < 4 || s.size() > 36) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

// Times as ISO 8601 UTC whatever the session's time zone, in the form the runner
// writes them (whole seconds), so a report read back equals the one `run` wrote.
#define ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

constexpr const char* benchmark_columns =
    "id::text, organization_id, tenant_id, user_id, status, " ISO_UTC("started_at") ", coalesce(" ISO_UTC("finished_at") ", ''), "
    "options::text, runner_version, coalesce(scenarios_commit, ''), coalesce(rescored_from::text, ''), "
    "coalesce(name, '')";

BenchmarkRecord benchmark_of(const pqxx::row& r) {
  BenchmarkRecord b;
  b.id = text(r[0]);
  b.organization_id = text(r[1]);
  b.tenant_id = text(r[2]);
  b.user_id = text(r[3]);
  b.status = text(r[4]);
  b.started_at = text(r[5]);
  b.finished_at = text(r[6]);
  b.options_json = text(r[7]);
  b.runner_version = text(r[8]);
  b.scenarios_commit = text(r[9]);
  b.rescored_from = text(r[10]);
  b.name = text(r[11]);
  return b;
}

}  // namespace

struct BenchmarkReader::Impl {
  std::unique_ptr<pqxx::connection> conn;
  std::string organization;  // "" = every organization
};

BenchmarkReader::BenchmarkReader(const std::string& url, const std::string& organization_id)
    : impl_(new Impl{connect_database(url), organization_id}) {}
BenchmarkReader::~BenchmarkReader() = default;

BenchmarkLookup BenchmarkReader::find(const std::string& spec) {
  BenchmarkLookup out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    pqxx::result r;
    if (spec == "latest") {
      r = t.exec_params(std::string("SELECT ") + benchmark_columns +
                            " FROM benchmarks WHERE NOT options ? 'rescored_from' AND ($1 = '' OR organization_id = $1) "
                            "ORDER BY started_at DESC LIMIT 1",
                        impl_->organization);
      if (r.empty()) out.error = "no benchmark is stored yet";
    } else if (hex_prefix(spec)) {
      std::string lower = spec;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r = t.exec_params(std::string("SELECT ") + benchmark_columns +
                            " FROM benchmarks WHERE id::text LIKE $1 || '%' ORDER BY started_at DESC LIMIT 2",
                        lower);
      if (r.empty()) out.error = "no benchmark ID starts with '" + spec + "'";
      if (r.size() > 1) out.error = "'" + spec + "' is the start of several benchmark IDs; give more of it";
    } else {
      // A name: its newest run (names repeat: a nightly job reuses its name), of this
      // organization (two teams on one database may both say "nightly"). Runs come
      // before re-scores; a re-score has a generated name of its own and is found by it.
      r = t.exec_params(std::string("SELECT ") + benchmark_columns +
                            " FROM benchmarks WHERE name = $1 AND ($2 = '' OR organization_id = $2) "
                            "ORDER BY options ? 'rescored_from', started_at DESC LIMIT 1",
                        spec, impl_->organization);
      if (r.empty())
        out.error = "'" + spec + "' is not a benchmark name, an ID, an ID prefix of at least 4 hex digits, or latest";
    }
    if (out.error.empty()) {
      out.benchmark = benchmark_of(r[0]);
      // The capacity record (up to a few hundred KB for a long VM run) only for the one
      // benchmark found, never in listings.
      auto c = t.exec_params("SELECT coalesce(capacity::text, '') FROM benchmarks WHERE id = $1::uuid", out.benchmark->id);
      if (!c.empty()) out.benchmark->capacity_json = text(c[0][0]);
    }
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::map<std::string, std::vector<std::string>> BenchmarkReader::stored_scenarios(const std::string& benchmark_id) {
  std::map<std::string, std::vector<std::string>> out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    for (const auto& row : t.exec_params("SELECT DISTINCT scenario_key, t.tag FROM scenario_reports "
                                         "LEFT JOIN LATERAL jsonb_array_elements_text(tags) t(tag) ON true "
                                         "WHERE benchmark_id = $1::uuid",
                                         benchmark_id)) {
      auto& tags = out[text(row[0])];
      if (!row[1].is_null()) tags.push_back(text(row[1]));
    }
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::vector<std::string> BenchmarkReader::log_folders_of(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  if (ids.empty()) return out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    const std::string array = pg_array(ids);
    // A re-score's reports point at the logs of the run they re-judged: such a folder
    // stays while any benchmark not being deleted points into it.
    for (const auto& row : t.exec_params(
             "SELECT DISTINCT regexp_replace(log_path, '/[^/]*$', '') AS dir FROM scenario_reports r "
             "WHERE benchmark_id = ANY($1::uuid[]) AND log_path LIKE '/%/%' AND NOT EXISTS (SELECT 1 FROM "
             "scenario_reports o WHERE o.benchmark_id <> ALL($1::uuid[]) AND "
             "starts_with(o.log_path, regexp_replace(r.log_path, '/[^/]*$', '') || '/'))",
             array))
      out.push_back(text(row[0]));
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::vector<ScenarioReport> BenchmarkReader::reports(const std::string& benchmark_id, const std::vector<std::string>& keys,
                                                     bool with_trajectory, std::int64_t trajectory_budget) {
  const std::string key_array = pg_array(keys);
  std::vector<ScenarioReport> out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    for (const auto& row : t.exec_params(
             "SELECT benchmark_id::text, scenario_key, scenario_title, tags::text, iteration, mode, gateway, status, "
             "coalesce(error_kind, ''), coalesce(error_message, ''), compliance_score, rules::text, validate_playbook, "
             "coalesce(ticket_id, ''), coalesce(job_id, ''), coalesce(resolution_status, ''), task_count, "
             "host_ids::text, agent_ids::text, tokens::text, phases::text, coalesce(log_path, ''), " ISO_UTC("started_at") ", "
             ISO_UTC("finished_at") ", duration_ms, "
             // Without the trajectory (up to 1 MiB each) only whether one is stored and cut.
             "CASE WHEN trajectory IS NULL THEN '' "
             "WHEN $3 AND sum(octet_length(trajectory::text)) OVER (ORDER BY scenario_key, iteration) <= $4 "
             "THEN trajectory::text WHEN $3 THEN '{\"omitted\": true}' "
             "WHEN trajectory ? 'truncated' THEN '{\"truncated\": true}' ELSE '{}' END, "
             "coalesce(chaos::text, ''), coalesce(platform::text, ''), coalesce(attempts::text, '') FROM scenario_reports "
             "WHERE benchmark_id = $1::uuid AND ($2 = '{}' OR scenario_key = ANY($2::text[])) "
             "ORDER BY scenario_key, iteration",
             benchmark_id, key_array, with_trajectory, trajectory_budget)) {
      ScenarioReport r;
      r.benchmark_id = text(row[0]);
      r.scenario_key = text(row[1]);
      r.scenario_title = text(row[2]);
      r.tags_json = text(row[3]);
      r.iteration = row[4].as<int>();
      r.mode = text(row[5]);
      r.gateway = text(row[6]);
      r.status = parse_iteration_status(text(row[7])).value_or(IterationStatus::error);
      r.error_kind = text(row[8]);
      r.error_message = text(row[9]);
      if (!row[10].is_null()) r.compliance_score = row[10].as<double>();
      r.rules_json = text(row[11]);
      r.validate_playbook = text(row[12]);
      r.ticket_id = text(row[13]);
      r.job_id = text(row[14]);
      r.resolution_status = text(row[15]);
      if (!row[16].is_null()) r.task_count = row[16].as<int>();
      r.host_ids_json = text(row[17]);
      r.agent_ids_json = text(row[18]);
      r.tokens_json = text(row[19]);
      r.phases_json = text(row[20]);
      r.log_path = text(row[21]);
      r.started_at = text(row[22]);
      r.finished_at = text(row[23]);
      r.duration_ms = row[24].as<std::int64_t>();
      r.trajectory_json = text(row[25]);
      r.chaos_json = text(row[26]);
      r.platform_json = text(row[27]);
      r.attempts_json = text(row[28]);
      out.push_back(std::move(r));
    }
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::vector<BenchmarkRecord> BenchmarkReader::older_than(long long seconds) {
  std::vector<BenchmarkRecord> out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    for (const auto& row : t.exec_params(std::string("SELECT ") + benchmark_columns +
                                             " FROM benchmarks WHERE started_at < now() - $1 * interval '1 second' "
                                             "AND ($2 = '' OR organization_id = $2) ORDER BY started_at",
                                         seconds, impl_->organization))
      out.push_back(benchmark_of(row));
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::vector<ScenarioRun> BenchmarkReader::scenario_runs(int last) {
  std::vector<ScenarioRun> out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    for (const auto& row : t.exec_params(
             "WITH runs AS (SELECT id, coalesce(name, '') AS name, started_at FROM benchmarks "
             "WHERE NOT options ? 'rescored_from' AND ($2 = '' OR organization_id = $2) ORDER BY started_at DESC LIMIT $1) "
             "SELECT b.id::text, b.name, " ISO_UTC("b.started_at") ", r.scenario_key, max(r.tags::text), "
             "count(*) FILTER (WHERE r.status = 'passed'), count(*) FROM runs b JOIN scenario_reports r "
             "ON r.benchmark_id = b.id GROUP BY b.id, b.name, b.started_at, r.scenario_key ORDER BY b.started_at, r.scenario_key",
             last, impl_->organization)) {
      ScenarioRun s;
      s.benchmark_id = text(row[0]);
      s.benchmark_name = text(row[1]);
      s.started_at = text(row[2]);
      s.scenario_key = text(row[3]);
      auto tags = nlohmann::json::parse(text(row[4]), nullptr, false);
      if (tags.is_array())
        for (const auto& tag : tags)
          if (tag.is_string()) s.tags.push_back(tag.get<std::string>());
      s.passed = row[5].as<int>();
      s.total = row[6].as<int>();
      out.push_back(std::move(s));
    }
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::vector<BenchmarkListing> BenchmarkReader::recent(int limit) {
  std::vector<BenchmarkListing> out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    // Totals come from the reports themselves: a running or aborted benchmark has no
    // finalized totals yet.
    for (const auto& row : t.exec_params(
             std::string("SELECT ") + benchmark_columns +
                 ", coalesce(options->>'mode', ''), coalesce(options->>'gateway', ''), s.total, s.passed, s.failed, "
                 "s.errored, extract(epoch FROM (coalesce(finished_at, last_seen, started_at) - started_at)) "
                 "FROM benchmarks b LEFT JOIN LATERAL (SELECT count(*) AS total, "
                 "count(*) FILTER (WHERE status = 'passed') AS passed, count(*) FILTER (WHERE status = 'failed') AS failed, "
                 "count(*) FILTER (WHERE status = 'error') AS errored FROM scenario_reports WHERE benchmark_id = b.id) s "
                 "ON true WHERE ($2 = '' OR organization_id = $2) ORDER BY started_at DESC LIMIT $1",
             limit, impl_->organization)) {
      BenchmarkListing l;
      l.bench = benchmark_of(row);
      l.mode = text(row[12]);
      l.gateway = text(row[13]);
      l.total = row[14].as<std::int64_t>();
      l.passed = row[15].as<std::int64_t>();
      l.failed = row[16].as<std::int64_t>();
      l.errored = row[17].as<std::int64_t>();
      l.duration_s = row[18].is_null() ? 0.0 : row[18].as<double>();
      out.push_back(std::move(l));
    }
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::vector<BenchmarkRecord> BenchmarkReader::named(const std::string& name) {
  std::vector<BenchmarkRecord> out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    for (const auto& row : t.exec_params(std::string("SELECT ") + benchmark_columns +
                                             " FROM benchmarks WHERE name = $1 AND ($2 = '' OR organization_id = $2) "
                                             "ORDER BY started_at",
                                         name, impl_->organization))
      out.push_back(benchmark_of(row));
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::map<std::string, std::size_t> BenchmarkReader::report_counts(const std::vector<std::string>& ids) {
  std::map<std::string, std::size_t> out;
  if (ids.empty()) return out;
  try {
    pqxx::read_transaction t(*impl_->conn);
    for (const auto& row : t.exec_params("SELECT benchmark_id::text, count(*) FROM scenario_reports "
                                         "WHERE benchmark_id = ANY($1::uuid[]) GROUP BY benchmark_id",
                                         pg_array(ids)))
      out[text(row[0])] = row[1].as<std::size_t>();
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::size_t BenchmarkReader::delete_benchmarks(const std::vector<std::string>& ids) {
  if (ids.empty()) return 0;
  try {
    pqxx::work w(*impl_->conn);
    const std::string array = pg_array(ids);
    const auto reports =
        w.exec_params("SELECT count(*) FROM scenario_reports WHERE benchmark_id = ANY($1::uuid[])", array)[0][0]
            .as<std::size_t>();
    w.exec_params("DELETE FROM benchmarks WHERE id = ANY($1::uuid[])", array);
    w.commit();
    return reports;
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
}

}  // namespace runner
