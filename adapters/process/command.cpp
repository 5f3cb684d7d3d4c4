#include "adapters/process/command.hpp"

#include "adapters/process/child_env.hpp"

#include <sys/prctl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <atomic>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <csignal>
#include <future>
#include <mutex>
#include <thread>

namespace bp = boost::process;

namespace runner {

std::string CommandResult::describe() const {
  if (!started) return error;
  if (timed_out) return "timed out (killed)";
  std::string last = err.empty() ? out : err;
  while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) last.pop_back();
  if (auto nl = last.rfind('\n'); nl != std::string::npos) last = last.substr(nl + 1);
  return "exit " + std::to_string(exit_code) + (last.empty() ? "" : ": " + last);
}

namespace {
std::atomic<unsigned> g_child_umask{022};

// Boost.Asio keeps one process-wide self-pipe for signals (Boost.Process watches
// SIGCHLD through it), opened when the first signal_set_service appears and closed when
// the last one goes, which happened at the end of every command. Its signal handler
// writes to that pipe without a lock (a handler cannot take one), so a SIGCHLD arriving
// while another command's io_context closed the pipe raced with the close (ThreadSanitizer
// reported it in the incus tests), and a descriptor reused meanwhile could have taken
// the handler's bytes. One service lives for the whole process, so the pipe is opened
// once and never closed under a handler (deliberately never destroyed).
// Held through volatile pointers: the stores stay, so LeakSanitizer sees them reachable.
boost::asio::io_context* volatile g_signal_keeper = nullptr;
boost::asio::signal_set* volatile g_signal_set = nullptr;

void keep_signal_pipe_open() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_signal_keeper = new boost::asio::io_context;
    g_signal_set = new boost::asio::signal_set(*g_signal_keeper);
  });
}
}  // namespace

void restrict_umask() { g_child_umask = ::umask(077); }
unsigned child_umask() { return g_child_umask; }

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  return bp::search_path(program).string();
}

CommandResult run_command(const std::vector<std::string>& argv, const std::string& input,
                          std::chrono::milliseconds timeout) {
  CommandResult r;
  if (argv.empty()) {
    r.error = "empty command";
    return r;
  }
  const std::string exe = find_program(argv[0]);
  if (exe.empty()) {
    r.error = argv[0] + " not found on PATH";
    return r;
  }
  // Checked here: through `env` a missing program would be a start with exit 127.
  if (::access(exe.c_str(), X_OK) != 0) {
    r.error = exe + " is not an executable program";
    return r;
  }
  static const std::string env_exe = find_program("env");
  keep_signal_pipe_open();
  try {
    boost::asio::io_context ios;
    std::future<std::string> out, err;
    bp::group group;
    // `env -u NAME... exe args`: the runner's secrets stay out of the child's environment.
    // A path with '=' would be read by env as an assignment: such a program runs
    // directly (the runner's own environment is already scrubbed, see child_env).
    const bool via_env = exe.find('=') == std::string::npos;
    std::vector<std::string> args = via_env ? env_unset_args() : std::vector<std::string>{};
    if (via_env) args.push_back(exe);
    args.insert(args.end(), argv.begin() + 1, argv.end());
    bp::child child(via_env ? env_exe : exe, args, bp::std_in < boost::asio::buffer(input), bp::std_out > out, bp::std_err > err, ios,
                    group,
                    bp::extend::on_exec_setup([](auto&) {
                      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the runner, even on SIGKILL
                      ::umask(child_umask());
                    }));
    r.started = true;
    // The io_context pumps stdin/stdout/stderr; run it on this (worker) thread with a
    // deadline, then kill the group if the command is still going. A command that
    // leaves a daemon holding its output pipes (`limactl start` starts a host agent)
    // is done when it exits: its output gets a moment to drain, the daemon lives on.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ios.stopped()) {
      ios.run_for(std::chrono::milliseconds(50));
      if (!ios.stopped() && !child.running()) {
        ios.run_for(std::chrono::milliseconds(500));
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        r.timed_out = true;
        group.terminate();
        ios.run_for(std::chrono::milliseconds(200));
        break;
      }
    }
    child.wait();
    r.exit_code = r.timed_out ? -1 : child.exit_code();
    if (!r.timed_out) group.detach();  // a daemon the command started is not ours to kill
    if (out.wait_for(std::chrono::seconds(0)) == std::future_status::ready) r.out = out.get();
    if (err.wait_for(std::chrono::seconds(0)) == std::future_status::ready) r.err = err.get();
  } catch (const std::exception& e) {
    r.started = false;
    r.error = argv[0] + ": " + e.what();
  }
  return r;
}

}  // namespace runner
