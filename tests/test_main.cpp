// The test program's main: Catch2's, after short database bounds are set for every
// test (a frozen or stopped PostgreSQL then costs seconds, not the defaults'
// minutes). A value already in the environment wins.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char* argv[]) {
  ::setenv("RUNNER_DB_STATEMENT_TIMEOUT_S", "2", 0);
  ::setenv("RUNNER_DB_WAIT_S", "8", 0);
  return Catch::Session().run(argc, argv);
}
