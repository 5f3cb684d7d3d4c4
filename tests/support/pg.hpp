#pragma once
// PostgreSQL for tests. scripts/test starts one throwaway cluster and exports its
// admin URL as RUNNER_TEST_DATABASE_URL; each test takes a fresh database of its own
// (TestDatabase). Tests that must stop and start a server get a private cluster
// (PrivateCluster). Without RUNNER_TEST_DATABASE_URL the DB tests fail loudly.
#include <string>

#include "tests/support/temp_dir.hpp"

namespace test {

// The admin URL of the shared test cluster; fails the test when unset.
std::string admin_database_url();

// Replaces the database name of a postgresql:// URL.
std::string with_database(const std::string& url, const std::string& db);

// A new, empty database on the shared cluster, dropped at scope exit.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  // Runs SQL as the admin on this database; returns the first column of the first row.
  std::string query(const std::string& sql) const;

 private:
  std::string name_, url_;
};

// A cluster of its own on a free port, for tests that stop and start the server.
class PrivateCluster {
 public:
  PrivateCluster();
  ~PrivateCluster();
  void start();
  void stop();  // a fast shutdown
  // SIGSTOP / SIGCONT to the server and every backend: a database that stops
  // answering while its kernel still holds the connections open (a partition, a hung VM).
  void freeze();
  void thaw();
  const std::string& url() const { return url_; }

 private:
  TempDir dir_;
  int port_;
  std::string url_;
};

int free_port();

}  // namespace test
