#include "adapters/git/git_source.hpp"

#include <fcntl.h>
#include <git2.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "adapters/log/redactor.hpp"

namespace fs = std::filesystem;

namespace runner {
namespace {

struct Libgit2 {
  Libgit2() { git_libgit2_init(); }
  ~Libgit2() { git_libgit2_shutdown(); }
};

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { if (p) Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using RemotePtr = std::unique_ptr<git_remote, Deleter<git_remote, git_remote_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;

struct AuthState {
  const GitSourceSettings* settings;
  int attempts = 0;
  bool rejected = false;
};

// Called by libgit2 when the server asks for credentials. A second call for the same
// operation means the first answer was refused.
int credentials_cb(git_credential** out, const char*, const char* username_from_url, unsigned int allowed,
                   void* payload) {
  auto* st = static_cast<AuthState*>(payload);
  if (st->attempts++ > 0 || st->settings->pat.empty() || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) {
    st->rejected = true;
    git_error_set_str(GIT_ERROR_NET, "authentication failed");
    return GIT_EUSER;
  }
  const char* user = (username_from_url && *username_from_url) ? username_from_url : st->settings->username.c_str();
  return git_credential_userpass_plaintext_new(out, user, st->settings->pat.c_str());
}

std::string last_error() {
  const git_error* e = git_error_last();
  return global_redactor().redact(e && e->message ? e->message : "unknown libgit2 error");
}

// URL for messages: the userinfo (which may hold a token) is masked.
std::string shown_url(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  auto slash = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, scheme + 3) + "***" + url.substr(at);
}

std::string cache_dir_for(const GitSourceSettings& s) {
  // FNV-1a of the URL: a stable folder name per repository.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s.url) h = (h ^ c) * 1099511628211ull;
  std::string base = fs::path(s.url).filename().string();
  if (base.size() > 4 && base.ends_with(".git")) base.resize(base.size() - 4);
  for (char& c : base)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  const std::string root = s.cache_root.empty() ? default_cache_root() : s.cache_root;
  return (fs::path(root) / "git" / (base + "-" + hex)).string();
}

// Holds an exclusive flock on "<dir>.lock" while alive.
class DirLock {
 public:
  explicit DirLock(const std::string& dir) {
    fs::create_directories(fs::path(dir).parent_path());
    fd_ = ::open((dir + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

// Finds the remote ref for `ref`: the branch, else a tag of that name.
std::string find_remote_ref(git_remote* remote, const std::string& ref) {
  const git_remote_head** heads = nullptr;
  size_t n = 0;
  if (git_remote_ls(&heads, &n, remote) != 0) return "";
  std::string tag;
  for (size_t i = 0; i < n; ++i) {
    std::string name = heads[i]->name;
    if (name == "refs/heads/" + ref) return name;
    if (name == "refs/tags/" + ref) tag = name;
  }
  return tag;
}

GitCheckout sync_once(const GitSourceSettings& s, const std::string& dir, bool allow_reuse) {
  GitCheckout out;
  out.workdir = dir;
  git_repository* raw = nullptr;
  if (allow_reuse && fs::exists(fs::path(dir) / ".git") && git_repository_open(&raw, dir.c_str()) == 0) {
    out.reused = true;
  } else {
    fs::remove_all(dir);
    if (git_repository_init(&raw, dir.c_str(), 0) != 0)
      throw GitSourceError(GitSourceError::Kind::other, "cannot create git cache '" + dir + "': " + last_error());
  }
  RepoPtr repo(raw);

  // An anonymous remote is never written to .git/config.
  git_remote* rraw = nullptr;
  if (git_remote_create_anonymous(&rraw, repo.get(), s.url.c_str()) != 0)
    throw GitSourceError(GitSourceError::Kind::other, "invalid repository URL '" + shown_url(s.url) + "': " + last_error());
  RemotePtr remote(rraw);

  AuthState auth{&s};
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  callbacks.credentials = credentials_cb;
  callbacks.payload = &auth;
  if (git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0) {
    if (auth.rejected)
      throw GitSourceError(GitSourceError::Kind::auth,
                           "git: authentication to " + shown_url(s.url) + " failed (check GIT_RUNNER_PAT)");
    throw GitSourceError(GitSourceError::Kind::unreachable,
                         "git: cannot reach " + shown_url(s.url) + ": " + last_error());
  }
  const std::string remote_ref = find_remote_ref(remote.get(), s.ref);
  if (remote_ref.empty())
    throw GitSourceError(GitSourceError::Kind::unknown_ref,
                         "git: branch '" + s.ref + "' not found in " + shown_url(s.url) + " (check GIT_REF)");
  const std::string local_ref = "refs/remotes/origin/" + s.ref;
  const std::string spec = "+" + remote_ref + ":" + local_ref;
  char* specs[] = {const_cast<char*>(spec.c_str())};
  git_strarray refspecs{specs, 1};
  git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
  fetch.callbacks = callbacks;
  fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  if (git_remote_fetch(remote.get(), &refspecs, &fetch, nullptr) != 0)
    throw GitSourceError(auth.rejected ? GitSourceError::Kind::auth : GitSourceError::Kind::other,
                         "git: fetch of '" + s.ref + "' from " + shown_url(s.url) + " failed: " + last_error());
  git_remote_disconnect(remote.get());

  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo.get(), (local_ref + "^{commit}").c_str()) != 0)
    throw GitSourceError(GitSourceError::Kind::other, "git: fetched ref '" + local_ref + "' unreadable: " + last_error());
  ObjectPtr commit(obj);
  git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
  co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED | GIT_CHECKOUT_REMOVE_IGNORED;
  if (git_checkout_tree(repo.get(), commit.get(), &co) != 0 ||
      git_repository_set_head_detached(repo.get(), git_object_id(commit.get())) != 0)
    throw GitSourceError(GitSourceError::Kind::other, "git: checkout of '" + s.ref + "' failed: " + last_error());
  char sha[GIT_OID_HEXSZ + 1];
  git_oid_tostr(sha, sizeof sha, git_object_id(commit.get()));
  out.commit = sha;
  return out;
}

}  // namespace

std::string default_cache_root() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "2501-runner").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : "/tmp") / ".cache" / "2501-runner").string();
}

GitCheckout sync_git_source(const GitSourceSettings& s) {
  static Libgit2 lib;
  const std::string dir = cache_dir_for(s);
  DirLock lock(dir);
  try {
    return sync_once(s, dir, true);
  } catch (const GitSourceError& e) {
    // Auth, branch and network problems are the remote's; a broken cache is ours:
    // throw the cache away and clone afresh once.
    if (e.kind != GitSourceError::Kind::other) throw;
    return sync_once(s, dir, false);
  }
}

}  // namespace runner
