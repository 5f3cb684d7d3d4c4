#include "adapters/db/migrator.hpp"

#include <pqxx/pqxx>
#include <set>

#include "adapters/db/database.hpp"

namespace runner {
namespace {
constexpr long long migration_lock_key = 2501'0001;
}

MigrationOutcome migrate_database(const std::string& url, const std::vector<Migration>& migrations) {
  auto conn = connect_database(url, 5, false);
  MigrationOutcome out;
  try {
    {
      pqxx::nontransaction nt(*conn);
      nt.exec("SELECT pg_advisory_lock(" + std::to_string(migration_lock_key) + ")");
      nt.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, name text NOT NULL, "
          "applied_at timestamptz NOT NULL DEFAULT now())");
    }
    std::set<std::string> done;
    {
      pqxx::read_transaction rt(*conn);
      for (const auto& row : rt.exec("SELECT version FROM schema_migrations")) done.insert(row[0].c_str());
    }
    for (const auto& m : migrations) {
      if (done.count(m.version)) {
        ++out.already;
        continue;
      }
      pqxx::work w(*conn);
      try {
        w.exec(m.sql);
      } catch (const std::exception& e) {
        throw DbError(DbError::Kind::query, "migration " + m.name + " failed: " + e.what());
      }
      w.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name);
      w.commit();
      out.applied.push_back(m.name);
    }
    pqxx::nontransaction nt(*conn);
    nt.exec("SELECT pg_advisory_unlock(" + std::to_string(migration_lock_key) + ")");
  } catch (const DbError&) {
    throw;
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  return out;
}

std::vector<std::string> pending_migrations(const std::string& url, const std::vector<Migration>& migrations) {
  auto conn = connect_database(url, 5, false);
  std::set<std::string> done;
  try {
    pqxx::read_transaction t(*conn);
    if (!t.exec("SELECT to_regclass('schema_migrations')")[0][0].is_null())
      for (const auto& row : t.exec("SELECT version FROM schema_migrations")) done.insert(row[0].c_str());
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
  std::vector<std::string> pending;
  for (const auto& m : migrations)
    if (!done.count(m.version)) pending.push_back(m.name);
  return pending;
}

}  // namespace runner
