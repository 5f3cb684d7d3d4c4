#include "app/commands/db_command.hpp"

#include <spdlog/spdlog.h>

#include "adapters/db/database.hpp"
#include "adapters/db/migrator.hpp"
#include "adapters/db/platform_store.hpp"
#include "app/commands/command_support.hpp"
#include "messages/exit_codes.hpp"

namespace runner {

int run_db_migrate_command(const DbOptions& opts) {
  Config cfg = load_command_config(opts.common);
  if (!cfg.has("DATABASE_URL")) {
    spdlog::error("db migrate needs DATABASE_URL");
    return exit_code::preflight;
  }
  const std::string url = cfg.get("DATABASE_URL");
  try {
    MigrationOutcome m = migrate_database(url);
    for (const auto& name : m.applied) spdlog::info("applied migration {}", name);
    if (m.applied.empty())
      spdlog::info("database {} is up to date ({} migrations); nothing to do", describe_database(url), m.already);
    else
      spdlog::info("database {} migrated: {} applied, {} already present", describe_database(url), m.applied.size(),
                   m.already);
  } catch (const DbError& e) {
    spdlog::error("{}", e.what());
    return exit_code::preflight;
  }
  replay_spooled_reports(url, opts.spool_dir);
  // What runs that died left behind: their benchmarks still `running`, their agents'
  // overrides.
  try {
    PlatformStore store(url);
    if (auto n = store.mark_abandoned_runs(); n) spdlog::warn("marked {} benchmark(s) left running by runs that died as aborted", n);
    if (auto n = store.repair_overrides(); n) spdlog::info("restored the settings of {} agent(s) left overridden by a run that died", n);
  } catch (const std::exception& e) {
    spdlog::warn("could not check for runs that died: {}", e.what());
  }
  return exit_code::success;
}

}  // namespace runner
