// 2501-runner: parse the command line first, then set up output, then dispatch.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "adapters/env/env_file.hpp"
#include "adapters/env/env_number.hpp"
#include "adapters/log/logging.hpp"
#include "adapters/process/command.hpp"
#include "adapters/scenarios/scenario_loader.hpp"
#include "app/cli.hpp"
#include "app/commands/db_command.hpp"
#include "app/commands/compare_command.hpp"
#include "app/commands/flush_command.hpp"
#include "app/commands/history_command.hpp"
#include "app/commands/report_command.hpp"
#include "app/commands/list_command.hpp"
#include "app/commands/run_command.hpp"
#include "app/commands/sandbox_command.hpp"
#include "app/commands/validate_command.hpp"
#include "app/scenario_source.hpp"
#include "messages/exit_codes.hpp"

namespace {

// First line only: usage errors are one line.
std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

int main(int argc, char** argv) {
  using namespace runner;
  CliOutcome cli = parse_command_line(argc, argv);
  if (!cli.command) {
    if (!cli.out.empty()) std::fputs(cli.out.c_str(), stdout);
    if (!cli.error.empty()) std::fprintf(stderr, "error: %s\n", first_line(cli.error).c_str());
    return cli.exit_code;
  }
  const Command& cmd = *cli.command;
  const CommonOptions& common = cmd.common();
  // Output reaches a pipe or a file line by line (a CI log of a killed run keeps
  // everything printed before it died).
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::setvbuf(stderr, nullptr, _IOLBF, 0);
  restrict_umask();  // logs, inventories and the spool are the runner's alone
  try {
    LogSettings log;
    log.verbosity = common.verbosity;
    log.log_file = common.log_file;
    log.colour = common.color;
    log.quiet = common.quiet;
    setup_logging(log);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return exit_code::usage;
  }
  // Whatever way a command ends (an exception included), no progress block stays on
  // the terminal under its last lines.
  struct ClearStatus {
    ~ClearStatus() { set_status_line(""); }
  } clear_status;
  try {
    switch (cmd.kind) {
      case Command::Kind::run: return run_run_command(cmd.run);
      case Command::Kind::list: return run_list_command(cmd.list);
      case Command::Kind::db_migrate: return run_db_migrate_command(cmd.db);
      case Command::Kind::sandbox: return run_sandbox_command(cmd.sandbox);
      case Command::Kind::validate: return run_validate_command(cmd.validate);
      case Command::Kind::flush: return run_flush_command(cmd.flush);
      case Command::Kind::runs: return run_runs_command(cmd.runs);
      case Command::Kind::report: return run_report_command(cmd.report);
      case Command::Kind::compare: return run_compare_command(cmd.compare);
      case Command::Kind::history: return run_history_command(cmd.history);
    }
  } catch (const EnvFileError& e) {
    spdlog::error("{}", e.what());
    return exit_code::usage;
  } catch (const SettingError& e) {
    spdlog::error("{}", e.what());
    return exit_code::usage;
  } catch (const SourceSettingsError& e) {
    spdlog::error("{}", e.what());  // a setting pre-flight would have named: its exit code
    return exit_code::preflight;
  } catch (const DiscoveryError& e) {
    spdlog::error("{}", e.what());
    return exit_code::usage;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return exit_code::infrastructure;
  }
  return exit_code::infrastructure;
}
