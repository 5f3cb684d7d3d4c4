#include "app/commands/results_support.hpp"

#include <spdlog/spdlog.h>

#include "adapters/db/db_error.hpp"
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
    return exit_code::preflight;
  }
}

}  // namespace runner
