#pragma once
// No child outlives the runner. A ChildGuard goes with one child process started in
// its own process group: in the child, before exec, `in_child()` forks a watcher
// that waits on a pipe only the runner holds open. If the runner dies in any way
// (SIGKILL included) the pipe closes, and the watcher kills the whole group: the
// child and everything it started. When the child ends normally, `release()` tells
// the watcher to leave quietly (what is left of the group is then the process
// library's to end, as before). The child itself also gets PR_SET_PDEATHSIG.
namespace runner {

class ChildGuard {
 public:
  ChildGuard();   // the pipe (close-on-exec: no other child inherits it)
  ~ChildGuard();  // release() if not done
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

  // In the forked child, after it joined its new process group, before exec. Only
  // async-signal-safe calls.
  void in_child() const;
  // The child ended: the watcher exits without killing anything.
  void release();

 private:
  int read_fd_ = -1, write_fd_ = -1;
};

}  // namespace runner
