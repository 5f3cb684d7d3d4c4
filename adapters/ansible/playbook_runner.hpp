#pragma once
// Runs ansible-playbook (Boost.Process) in its own process group with a timeout;
// on expiry the whole group is killed. Blocking: call it from a detached actor.
// Extra vars travel in a temporary JSON file (-e @file), never in argv.
#include <chrono>
#include <string>
#include <vector>

namespace runner {

struct PlaybookRun {
  std::string playbook;         // path, absolute or relative to workdir
  std::string inventory;        // path of the inventory file
  std::string workdir;          // the scenario folder
  std::string extra_vars_json = "{}";
  std::string log_path;         // output is appended here (with a header line)
  std::chrono::seconds timeout{600};
  bool capture_json = false;    // use our runner_json callback and return its document
};

struct PlaybookResult {
  int exit_code = -1;
  bool timed_out = false;
  bool stopped = false;         // the run's second interrupt: killed, or (not started) refused
  bool started = false;
  std::string error;            // why it could not start
  std::string json;             // capture_json: the callback's document
  double seconds = 0;
  bool ok() const { return started && !timed_out && !stopped && exit_code == 0; }
};

PlaybookResult run_playbook(const PlaybookRun& run);

// `chaos --kill-command`: the path of the kill playbook (written once per process in
// the private folder). It runs the extra var `runner_chaos_command` with a shell on
// every host of the inventory. Throws when the file cannot be written.
std::string chaos_kill_playbook();

// From the runner_json callback's document: the play names and, in order, the command
// of every command/shell task that ran (argv joined by spaces).
struct AnsibleJsonSummary {
  std::vector<std::string> plays;
  std::vector<std::string> commands;
};
AnsibleJsonSummary summarize_ansible_json(const std::string& json);

}  // namespace runner
