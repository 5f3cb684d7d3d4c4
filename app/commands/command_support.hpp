#pragma once
// Steps every subcommand shares: reading the configuration and printing the
// problems found in scenario definitions.
#include "adapters/env/config.hpp"
#include "adapters/scenarios/scenario_loader.hpp"
#include "app/cli.hpp"

namespace runner {

// Detects and reads the env file, merges the process environment, registers the
// secrets with the redactor and, at -vv, shows the runner's variables (redacted).
// Throws EnvFileError.
Config load_command_config(const CommonOptions& opts);

// Prints the catalog's warnings and errors, one line each, naming file and JSON path.
void print_catalog_problems(const Catalog& catalog);

// The spool folder of a database: --spool-dir as given, else the default spool root
// plus a folder per database (host_port_dbname), so reports spooled for one database
// are never replayed into another.
std::string spool_dir_for(const std::optional<std::string>& spool_dir, const std::string& database_url);

// Replays reports left in the spool by an earlier run (the database answers now)
// and says so on the console. Never throws: what cannot be replayed stays spooled.
void replay_spooled_reports(const std::string& database_url, const std::optional<std::string>& spool_dir);

// A fresh benchmark ID (a random UUID, version 4).
std::string new_benchmark_id();

}  // namespace runner
