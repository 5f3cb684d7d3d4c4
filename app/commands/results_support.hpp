#pragma once
// What every command that reads stored results shares (`runs`, `report`, `compare`,
// `history`): the configuration, DATABASE_URL (usage error without it), one
// BenchmarkReader scoped to ORG_ID, and a database error reported as pre-flight's.
#include <functional>

#include "adapters/db/benchmark_reader.hpp"
#include "adapters/env/config.hpp"
#include "app/cli.hpp"

namespace runner {

// Runs `body` with the reader; returns its exit code, 2 without DATABASE_URL, 3 when the
// database fails. `command` names the command in the message.
int with_benchmark_reader(const CommonOptions& common, const char* command,
                          const std::function<int(BenchmarkReader&)>& body);

}  // namespace runner
