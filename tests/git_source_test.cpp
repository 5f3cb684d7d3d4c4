// The git source against real git servers: file:// and `git http-backend` behind
// HTTP basic auth (tests/support/git_http_server.py) on loopback.
#include <catch2/catch.hpp>

#include <filesystem>

#include "adapters/git/git_source.hpp"
#include "tests/support/temp_dir.hpp"

using namespace runner;
namespace fs = std::filesystem;

namespace {

const std::string git = "git -c user.name=test -c user.email=test@example.invalid -c init.defaultBranch=main";

// A bare repository served under `root`, with a work tree to commit from.
struct Repo {
  test::TempDir dir;
  fs::path bare = dir / "srv/scenarios.git";
  fs::path work = dir / "work";
  Repo() {
    REQUIRE(test::sh(git + " init -q --bare " + bare.string()) == 0);
    REQUIRE(test::sh(git + " init -q " + work.string()) == 0);
    commit("scenarios/a/scenario.json", "{\"key\":\"a\"}", "first");
  }
  void commit(const std::string& rel, const std::string& content, const std::string& msg) {
    test::write_file(work / rel, content);
    REQUIRE(test::sh("cd " + work.string() + " && " + git + " add -A && " + git + " commit -qm " + msg + " && " + git +
                     " push -q " + bare.string() + " HEAD:main 2>/dev/null") == 0);
  }
  std::string head() const {
    auto s = test::sh_out("git -C " + bare.string() + " rev-parse main");
    return s.substr(0, s.find('\n'));
  }
};

struct HttpServer {
  test::Child child;
  HttpServer(const fs::path& root, const std::string& user, const std::string& password)
      : child({"python3", std::string(RUNNER_SOURCE_DIR) + "/tests/support/git_http_server.py", root.string(), user,
               password}) {}
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + child.first_line() + path; }
};

GitSourceError::Kind failure_kind(const GitSourceSettings& s) {
  try {
    sync_git_source(s);
  } catch (const GitSourceError& e) {
    return e.kind;
  }
  FAIL("sync succeeded");
  return GitSourceError::Kind::other;
}

}  // namespace

TEST_CASE("git source: file:// clone checks out the branch and keeps the SHA", "[git]") {
  Repo repo;
  test::TempDir cache;
  GitSourceSettings s{"file://" + repo.bare.string(), "main", "", "x-access-token", cache.str()};
  GitCheckout co = sync_git_source(s);
  CHECK_FALSE(co.reused);
  CHECK(co.commit == repo.head());
  CHECK(fs::exists(fs::path(co.workdir) / "scenarios/a/scenario.json"));
}

TEST_CASE("git source: the cache is reused and follows the branch", "[git]") {
  Repo repo;
  test::TempDir cache;
  GitSourceSettings s{"file://" + repo.bare.string(), "main", "", "x-access-token", cache.str()};
  GitCheckout first = sync_git_source(s);
  test::write_file(fs::path(first.workdir) / "stray.txt", "left behind");
  REQUIRE(test::sh("cd " + repo.work.string() + " && git rm -q scenarios/a/scenario.json") == 0);
  repo.commit("scenarios/b/scenario.json", "{\"key\":\"b\"}", "second");
  GitCheckout second = sync_git_source(s);
  CHECK(second.reused);
  CHECK(second.workdir == first.workdir);
  CHECK(second.commit == repo.head());
  CHECK(second.commit != first.commit);
  CHECK(fs::exists(fs::path(second.workdir) / "scenarios/b/scenario.json"));
  CHECK_FALSE(fs::exists(fs::path(second.workdir) / "scenarios/a/scenario.json"));
  CHECK_FALSE(fs::exists(fs::path(second.workdir) / "stray.txt"));
}

TEST_CASE("git source: a corrupt cache is cloned afresh", "[git]") {
  Repo repo;
  test::TempDir cache;
  GitSourceSettings s{"file://" + repo.bare.string(), "main", "", "x-access-token", cache.str()};
  GitCheckout first = sync_git_source(s);
  fs::remove_all(fs::path(first.workdir) / ".git/objects");
  test::write_file(fs::path(first.workdir) / ".git/HEAD", "garbage");
  GitCheckout again = sync_git_source(s);
  CHECK(again.commit == repo.head());
  CHECK(fs::exists(fs::path(again.workdir) / "scenarios/a/scenario.json"));
}

TEST_CASE("git source: an unknown branch is named", "[git]") {
  Repo repo;
  test::TempDir cache;
  GitSourceSettings s{"file://" + repo.bare.string(), "release-9", "", "x-access-token", cache.str()};
  try {
    sync_git_source(s);
    FAIL("expected an error");
  } catch (const GitSourceError& e) {
    CHECK(e.kind == GitSourceError::Kind::unknown_ref);
    CHECK(std::string(e.what()).find("branch 'release-9' not found") != std::string::npos);
  }
}

TEST_CASE("git source: HTTP basic auth with the PAT, which never reaches the disk", "[git]") {
  Repo repo;
  test::TempDir cache;
  HttpServer server(repo.dir / "srv", "runner", "pat-s3cr3t-value");
  GitSourceSettings s{server.url("/scenarios.git"), "main", "pat-s3cr3t-value", "runner", cache.str()};
  GitCheckout co = sync_git_source(s);
  CHECK(co.commit == repo.head());
  CHECK(fs::exists(fs::path(co.workdir) / "scenarios/a/scenario.json"));
  CHECK_FALSE(test::tree_contains(cache.path(), "pat-s3cr3t-value"));
  CHECK(test::read_file(fs::path(co.workdir) / ".git/config").find("127.0.0.1") == std::string::npos);
  // A second sync goes through fetch with the same credentials.
  repo.commit("scenarios/c/scenario.json", "{}", "third");
  CHECK(sync_git_source(s).commit == repo.head());
  CHECK_FALSE(test::tree_contains(cache.path(), "pat-s3cr3t-value"));
}

TEST_CASE("git source: wrong or missing PAT is an authentication error", "[git]") {
  Repo repo;
  test::TempDir cache;
  HttpServer server(repo.dir / "srv", "runner", "right-pat");
  GitSourceSettings s{server.url("/scenarios.git"), "main", "wrong-pat", "runner", cache.str()};
  CHECK(failure_kind(s) == GitSourceError::Kind::auth);
  s.pat.clear();
  CHECK(failure_kind(s) == GitSourceError::Kind::auth);
}

TEST_CASE("git source: an unreachable host is named as such", "[git]") {
  test::TempDir cache;
  GitSourceSettings s{"http://127.0.0.1:9/scenarios.git", "main", "pat", "runner", cache.str()};
  try {
    sync_git_source(s);
    FAIL("expected an error");
  } catch (const GitSourceError& e) {
    CHECK(e.kind == GitSourceError::Kind::unreachable);
    CHECK(std::string(e.what()).find("cannot reach http://127.0.0.1:9/scenarios.git") != std::string::npos);
  }
}
