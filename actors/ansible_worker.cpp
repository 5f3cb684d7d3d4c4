#include "actors/ansible_worker.hpp"

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "adapters/ansible/playbook_runner.hpp"

namespace runner {
namespace {

ansible_worker_actor::behavior_type ansible_worker(ansible_worker_actor::pointer) {
  return {
      [](playbook_atom, const PlaybookRequest& req) -> caf::result<PlaybookOutcome> {
        PlaybookRun run;
        run.playbook = req.playbook;
        run.inventory = req.inventory;
        run.workdir = req.workdir;
        run.extra_vars_json = req.extra_vars_json;
        run.log_path = req.log_path;
        run.timeout = std::chrono::seconds(req.timeout_s);
        PlaybookResult r = run_playbook(run);  // blocking: this actor has its own thread
        // Killed or refused by the run's second interrupt: the iteration was interrupted.
        if (r.stopped)
          return caf::make_error(runner_errc::interrupted, r.started ? "killed by the run's second interrupt"
                                                                     : "not run after the run's second interrupt");
        // Not started, or lost while waiting for it: no outcome to judge.
        if (!r.started || !r.error.empty()) return caf::make_error(runner_errc::playbook, r.error);
        return PlaybookOutcome{r.ok(), r.exit_code, r.timed_out, r.seconds};
      },
  };
}

}  // namespace

ansible_worker_actor spawn_ansible_worker(caf::actor_system& sys, bool detached) {
  if (detached) return sys.spawn<caf::detached>(ansible_worker);
  return sys.spawn(ansible_worker);
}

}  // namespace runner
