#pragma once
// The local spool that keeps reports when the database is away: one append-only
// JSON-lines file per benchmark, each line fsync'd before append() returns, replayed
// in order when the database answers again. Replay stops at the first write that
// fails and keeps the rest for later; a line that does not decode (torn by a crash)
// is skipped and counted. Every write, fsync and rename is checked: a line that
// cannot be written whole is cut back out and reported (never half-written), and a
// compaction that cannot complete leaves the old file as it was.
#include <functional>
#include <string>

namespace runner {

class Spool {
 public:
  explicit Spool(std::string dir);

  // Appends one line to <dir>/<stream>.jsonl; throws std::runtime_error naming the
  // file when it cannot be written durably.
  void append(const std::string& stream, const std::string& line);

  // Keeps a line the database refused (not replayed) in <dir>/<stream>.rejected.
  void reject(const std::string& stream, const std::string& line);

  // Number of lines waiting in every spool file.
  std::size_t pending() const;
  // Calls f(line) for every waiting line, in replay order.
  void for_each_pending(const std::function<void(const std::string&)>& f) const;

  struct ReplayResult {
    std::size_t applied = 0;
    std::size_t skipped = 0;    // undecodable lines
    std::size_t remaining = 0;  // lines left because a write failed
    std::size_t rejected = 0;   // lines the database refused (moved to a .rejected file)
  };
  // Calls apply(line) for each waiting line, files in name order, lines in file order.
  // apply returns false for an undecodable line and throws when the write failed.
  ReplayResult replay(const std::function<bool(const std::string&)>& apply);

  const std::string& dir() const { return dir_; }

  // $XDG_STATE_HOME/2501-runner/spool, else ~/.local/state/2501-runner/spool.
  static std::string default_dir();

 private:
  void write_line(const std::string& file_name, const std::string& line);
  std::string dir_;
};

}  // namespace runner
