#pragma once
// A run's second interrupt: the children the runner waits on (ansible-playbook and
// what it started) are killed rather than waited for, and none starts after it.
// One process-wide flag, set from the signal watcher and read by every wait loop,
// because the playbooks wait on worker threads that no message reaches.
namespace runner {

void stop_children();           // from the second SIGINT/SIGTERM on; never cleared
bool children_stopped();

}  // namespace runner
