#pragma once
// Runs one external command (Boost.Process, kept out of this header) with stdin
// text, captured stdout/stderr and a timeout that kills its whole process group.
// Blocking: call it from a detached actor or the main thread, never the scheduler.
// Arguments travel as argv: never put a secret in them (use `input` instead).
#include <chrono>
#include <string>
#include <vector>

namespace runner {

struct CommandResult {
  int exit_code = -1;
  bool started = false;
  bool timed_out = false;
  std::string out, err;
  std::string error;  // why it could not start
  bool ok() const { return started && !timed_out && exit_code == 0; }
  // "exit 1: <last line of stderr>" or the start error: for one-line messages.
  std::string describe() const;
};

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                          std::chrono::milliseconds timeout = std::chrono::minutes(5));

// The full path of `program` on PATH, or "" when it is not there.
std::string find_program(const std::string& program);

// The runner creates its own files private (umask 077: logs, inventories, the spool
// are 0600 in 0700 folders); its children get the umask it started with back, so a
// playbook's files on a local host are made as they would be without the runner.
// restrict_umask() is called once by main; child_umask() is what children get.
void restrict_umask();
unsigned child_umask();

}  // namespace runner
