#pragma once
// Scenario repositories over git (libgit2): clone once into a cache folder, then
// fetch and hard-reset on later runs. The token (PAT) is handed to libgit2 through
// a credentials callback only: it never appears in a URL, .git/config, a log or argv.
#include <stdexcept>
#include <string>

namespace runner {

struct GitSourceSettings {
  std::string url;         // GIT_RUNNER_REPOSITORY (http(s)://, file:// or a path)
  std::string ref = "main";  // GIT_REF: a branch (or a tag)
  std::string pat;         // GIT_RUNNER_PAT, sent as the HTTP basic password
  std::string username = "x-access-token";  // HTTP basic user; a user in the URL wins
  std::string cache_root;  // default_cache_root() when empty
};

struct GitCheckout {
  std::string workdir;  // the checked-out tree
  std::string commit;   // full SHA of the checked-out commit
  bool reused = false;  // an existing cache was updated rather than cloned
};

struct GitSourceError : std::runtime_error {
  enum class Kind { auth, unknown_ref, unreachable, other };
  GitSourceError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
  Kind kind;
};

// $XDG_CACHE_HOME/2501-runner, else ~/.cache/2501-runner.
std::string default_cache_root();

// Brings the cache up to date with `ref` and checks it out. Blocking; safe to call
// from several processes at once (the cache folder is locked).
GitCheckout sync_git_source(const GitSourceSettings& settings);

}  // namespace runner
