#include "app/commands/results_support.hpp"

#include <spdlog/spdlog.h>

#include "adapters/db/db_error.hpp"
#include "adapters/db/migrator.hpp"
#include "app/commands/command_support.hpp"
#include "messages/exit_codes.hpp"

namespace runner {

int with_benchmark_reader(const CommonOptions& common, const char* command,
                          const std::function<int(BenchmarkReader&)>& body) {
  Config cfg = load_command_config(common);
  if (!cfg.has("DATABASE_URL")) {
    spdlog::error("{} needs DATABASE_URL (the benchmarks are read from it)", command);
    return exit_code::usage;
  }
  try {
    BenchmarkReader db(cfg.get("DATABASE_URL"), cfg.get("ORG_ID"));
    return body(db);
  } catch (const DbError& e) {
    spdlog::error("{}", e.what());
    // A database that an older runner migrated lacks what this one reads (a column
    // such as benchmarks.name): say how to bring it up to date.
    try {
      if (auto pending = pending_migrations(cfg.get("DATABASE_URL")); !pending.empty())
        spdlog::error("the database has {} migration(s) this runner needs but not applied ({}...); apply them with "
                      "`2501-runner db migrate`",
                      pending.size(), pending.front());
    } catch (const std::exception&) {
      // Unreachable: the error above already says why.
    }
    return exit_code::preflight;
  }
}

}  // namespace runner
