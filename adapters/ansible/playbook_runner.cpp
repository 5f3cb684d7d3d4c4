#include "adapters/ansible/playbook_runner.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <sstream>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace bp = boost::process;
namespace fs = std::filesystem;

#include "adapters/log/redactor.hpp"
#include "adapters/process/child_env.hpp"
#include "adapters/process/child_guard.hpp"
#include "adapters/process/command.hpp"
#include "adapters/process/stop_children.hpp"

namespace runner {
extern const char* const runner_json_callback_source;  // generated from runner_json_callback.py
namespace {

// The process's private folder for files Ansible reads (extra vars, its JSON output,
// the callback plugin): made once with mkdtemp (0700, an unguessable name), so no
// other user can plant a symlink where the runner writes.
const std::string& private_dir() {
  static const std::string dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "2501-runner-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a private temporary folder: " + tmpl);
    return tmpl;
  }();
  return dir;
}

// A new, empty file of our own in the private folder (mkstemp: 0600, O_EXCL).
std::string private_file(const char* stem) {
  std::string tmpl = (fs::path(private_dir()) / (std::string(stem) + "XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file in " + private_dir());
  ::close(fd);
  return tmpl;
}

// Writes the embedded callback plugin once per process; returns its folder.
const std::string& callback_dir() {
  static const std::string dir = [] {
    fs::path d = fs::path(private_dir()) / "callback";
    fs::create_directories(d);
    std::ofstream(d / "runner_json.py") << runner_json_callback_source;
    return d.string();
  }();
  return dir;
}

// `chaos --kill-command`'s playbook: the command comes base64-encoded in the extra
// var runner_chaos_command_b64 (so Jinja never reads it) and runs with a shell on
// every host of the inventory, with the inventory's connection and become settings.
constexpr const char* chaos_kill_source = R"(# 2501-runner chaos: kill the engine on the scenario's hosts
- name: 2501-runner chaos kill
  hosts: all
  gather_facts: false
  tasks:
    - name: run the kill command
      ansible.builtin.shell:
        cmd: "{{ runner_chaos_command_b64 | b64decode }}"
)";

// Masks every registered secret in what the playbook wrote to the log since `from`
// (a playbook that prints its variables must not put a secret on disk).
void redact_log_tail(const std::string& path, long from) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(from);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string tail = ss.str();
  const std::string clean = global_redactor().redact(tail);
  if (clean == tail) return;
  in.close();
  fs::resize_file(path, static_cast<std::uintmax_t>(from));
  std::ofstream(path, std::ios::binary | std::ios::app) << clean;
}

}  // namespace

std::string chaos_kill_playbook() {
  static const std::string path = [] {
    const std::string p = private_file("chaos-kill-");
    std::ofstream(p, std::ios::trunc) << chaos_kill_source;
    const std::string yml = p + ".yml";
    fs::rename(p, yml);
    return yml;
  }();
  return path;
}

PlaybookResult run_playbook(const PlaybookRun& run) {
  PlaybookResult result;
  if (children_stopped()) {  // the run's second interrupt: nothing new starts
    result.stopped = true;
    result.error = "not started: the run was stopped by a second interrupt";
    return result;
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::string vars_file, json_file;
  try {
    vars_file = private_file("vars-");
    json_file = private_file("output-");
  } catch (const std::exception& e) {
    result.error = e.what();
    return result;
  }
  { std::ofstream(vars_file, std::ios::trunc) << run.extra_vars_json; }

  if (!run.log_path.empty()) fs::create_directories(fs::path(run.log_path).parent_path());
  std::FILE* log = std::fopen(run.log_path.empty() ? "/dev/null" : run.log_path.c_str(), "a");
  if (!log) {
    result.error = "cannot open log " + run.log_path;
    return result;
  }
  std::fprintf(log, "=== ansible-playbook %s (inventory %s)\n", run.playbook.c_str(), run.inventory.c_str());
  std::fflush(log);
  const long output_start = std::ftell(log);

  // Ansible settings travel as `env NAME=value ... ansible-playbook`: Boost 1.74's
  // environment lookup reads past short entries (an ASan-detected heap overflow), and
  // none of these values is a secret.
  std::vector<std::string> settings = {"ANSIBLE_HOST_KEY_CHECKING=False", "ANSIBLE_RETRY_FILES_ENABLED=False",
                                       "ANSIBLE_NOCOLOR=1", "ANSIBLE_LOCALHOST_WARNING=False",
                                       "ANSIBLE_INVENTORY_UNPARSED_WARNING=False", "ANSIBLE_DEPRECATION_WARNINGS=False"};
  if (run.capture_json) {
    settings.push_back("ANSIBLE_CALLBACK_PLUGINS=" + callback_dir());
    settings.push_back("ANSIBLE_STDOUT_CALLBACK=runner_json");
  }
  const auto exe = bp::search_path("ansible-playbook");
  if (exe.empty()) {
    result.error = "ansible-playbook not found on PATH";
    std::fclose(log);
    return result;
  }
  const auto env_exe = bp::search_path("env");
  std::vector<std::string> args = env_unset_args();  // the runner's secrets stay with it
  args.insert(args.end(), settings.begin(), settings.end());
  args.insert(args.end(), {exe.string(), "-i", run.inventory, "-e", "@" + vars_file, run.playbook});
  try {
    bp::group group;
    std::unique_ptr<bp::child> child;
    ChildGuard guard;  // the playbook and what it starts die with the runner, even on SIGKILL
    auto die_with_parent = bp::extend::on_exec_setup([&guard](auto&) {
      guard.in_child();  // after `group` made the child its process group's leader
      ::umask(child_umask());  // the playbook's files are made as without the runner
    });
    if (run.capture_json)
      child = std::make_unique<bp::child>(env_exe, args, bp::start_dir(run.workdir), bp::std_in < bp::null,
                                          bp::std_out > json_file, bp::std_err > log, group, die_with_parent);
    else
      child = std::make_unique<bp::child>(env_exe, args, bp::start_dir(run.workdir), bp::std_in < bp::null,
                                          bp::std_out > log, bp::std_err > log, group, die_with_parent);
    result.started = true;
    const auto deadline = t0 + run.timeout;
    while (child->running()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        result.timed_out = true;
        group.terminate();  // the playbook and every process it started
        break;
      }
      if (children_stopped()) {  // a second interrupt: killed, not waited for
        result.stopped = true;
        group.terminate();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a worker thread, not the scheduler
    }
    child->wait();
    guard.release();
    result.exit_code = result.timed_out || result.stopped ? -1 : child->exit_code();
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  if (run.capture_json) {
    std::ifstream in(json_file);
    std::stringstream ss;
    ss << in.rdbuf();
    result.json = ss.str();
    std::fprintf(log, "%s\n", result.json.c_str());
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(log, "=== exit %d%s after %.1f s\n", result.exit_code, result.timed_out ? " (timed out, killed)" : result.stopped ? " (killed by a second interrupt)" : "",
               result.seconds);
  std::fclose(log);
  if (!run.log_path.empty()) redact_log_tail(run.log_path, output_start);
  // -vv shows the playbook's output too (the log file always has it).
  if (spdlog::should_log(spdlog::level::debug) && !run.log_path.empty()) {
    std::ifstream in(run.log_path);
    in.seekg(output_start);
    std::string line;
    spdlog::debug("ansible-playbook {} ({}):", fs::path(run.playbook).filename().string(), run.log_path);
    while (std::getline(in, line))
      if (!line.empty()) spdlog::debug("  | {}", line);
  }
  std::error_code ec;
  fs::remove(vars_file, ec);
  fs::remove(json_file, ec);
  return result;
}

AnsibleJsonSummary summarize_ansible_json(const std::string& json) {
  AnsibleJsonSummary out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  // Warnings may precede the document: it is the last line that starts with '{'.
  auto start = json.rfind("\n{");
  start = start == std::string::npos ? json.find('{') : start + 1;
  if (start == std::string::npos || parser.parse(json.substr(start)).get(doc) != simdjson::SUCCESS) return out;
  for (const char* key : {"plays", "commands"}) {
    simdjson::dom::array arr;
    if (doc[key].get(arr) != simdjson::SUCCESS) continue;
    for (auto e : arr) {
      std::string_view v;
      if (e.get(v) == simdjson::SUCCESS) (std::string(key) == "plays" ? out.plays : out.commands).emplace_back(v);
    }
  }
  return out;
}

}  // namespace runner
