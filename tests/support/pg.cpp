#include "tests/support/pg.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <pqxx/pqxx>
#include <random>

namespace test {
namespace {
const char* password = "private-cluster-pw";
}

std::string admin_database_url() {
  const char* url = std::getenv("RUNNER_TEST_DATABASE_URL");
  if (!url || !*url) FAIL("RUNNER_TEST_DATABASE_URL is not set: run the tests through scripts/test, which starts PostgreSQL");
  return url;
}

std::string with_database(const std::string& url, const std::string& db) {
  auto slash = url.find('/', url.find("://") + 3);
  auto query = url.find('?');
  std::string base = url.substr(0, slash);
  return base + "/" + db + (query == std::string::npos ? "" : url.substr(query));
}

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  std::mt19937_64 rng(std::random_device{}());
  name_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rng() % 100000);
  pqxx::connection c(admin_database_url());
  pqxx::nontransaction(c).exec("CREATE DATABASE " + name_);
  url_ = with_database(admin_database_url(), name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection c(admin_database_url());
    pqxx::nontransaction(c).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

std::string TestDatabase::query(const std::string& sql) const {
  pqxx::connection c(url_);
  pqxx::work w(c);
  auto r = w.exec(sql);
  w.commit();
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].c_str();
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

PrivateCluster::PrivateCluster() : port_(free_port()) {
  // The server runs as `postgres`, which must reach the cluster folder.
  std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
  url_ = "postgresql://postgres:" + std::string(password) + "@127.0.0.1:" + std::to_string(port_) + "/postgres";
  start();
}

PrivateCluster::~PrivateCluster() { stop(); }

void PrivateCluster::start() {
  const std::string cmd = std::string(RUNNER_SOURCE_DIR) + "/scripts/pg-cluster start " + (dir_ / "pg").string() +
                          " " + std::to_string(port_) + " " + password + " >/dev/null";
  REQUIRE(sh(cmd) == 0);
}

void PrivateCluster::freeze() {
  const std::string pid = "$(head -1 " + (dir_ / "pg" / "postmaster.pid").string() + ")";
  REQUIRE(sh("kill -STOP " + pid + " && pkill -STOP -P " + pid) == 0);
}

void PrivateCluster::thaw() {
  const std::string pid = "$(head -1 " + (dir_ / "pg" / "postmaster.pid").string() + ")";
  sh("pkill -CONT -P " + pid + "; kill -CONT " + pid);
}

void PrivateCluster::stop() {
  sh(std::string(RUNNER_SOURCE_DIR) + "/scripts/pg-cluster stop " + (dir_ / "pg").string());
}

}  // namespace test
