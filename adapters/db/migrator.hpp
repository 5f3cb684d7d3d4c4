#pragma once
// Applies the embedded migrations in version order, each in its own transaction,
// recording them in schema_migrations. Idempotent: a second run applies nothing.
// Concurrent runners serialise on an advisory lock.
#include <string>
#include <vector>

#include "adapters/db/migrations.hpp"

namespace runner {

struct MigrationOutcome {
  std::vector<std::string> applied;  // names applied by this call
  std::size_t already = 0;           // migrations found applied before
};

MigrationOutcome migrate_database(const std::string& url, const std::vector<Migration>& migrations = embedded_migrations());

// Pending migrations of a database: the names not yet applied (all of them when the
// schema was never migrated). Throws DbError when the database cannot be reached.
std::vector<std::string> pending_migrations(const std::string& url,
                                            const std::vector<Migration>& migrations = embedded_migrations());

}  // namespace runner
