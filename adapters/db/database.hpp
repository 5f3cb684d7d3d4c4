#pragma once
// PostgreSQL access shared by the runner's DB adapters: connection-string checks,
// connecting with a timeout, and failures classified so that pre-flight can say
// what is wrong (the password never appears in a message).
// Include only from adapters/db/*.cpp: it pulls in libpqxx.
#include <chrono>
#include <memory>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "adapters/db/db_error.hpp"

namespace runner {

// How long one database round trip may take (a server-side statement timeout, and
// the client-side Watchdog for a server that cannot enforce it because it is frozen),
// and how long provisioning waits for a database that went away before an iteration
// errors. RUNNER_DB_STATEMENT_TIMEOUT_S (default 30) and RUNNER_DB_WAIT_S (default
// 180), read once.
struct DatabaseTimeouts {
  std::chrono::seconds statement;
  std::chrono::seconds wait;
};
const DatabaseTimeouts& database_timeouts();

// True for a failure that may pass when the database comes back (refused, timed
// out, dropped); false for one that will not (bad URL, password, missing database,
// a refused statement).
bool db_unreachable(const DbError& e);

// SQLSTATEs a later try may pass: 08 (connection), 57 (a shutdown, a statement
// timeout), 40 (serialization failure, deadlock), 53 (insufficient resources: the
// server's disk is full), 55P03 (lock not available), 58 (system error).
bool transient_sqlstate(const std::string& state);

// Throws DbError(bad_url) when libpq cannot parse the connection string.
void check_database_url(const std::string& url);

// Connects with `connect_timeout_s`, keepalives and (when `bounded`) the statement
// timeout; throws a classified DbError. Migrations connect unbounded: a schema change
// on a large table may rightly take longer than any report write.
std::unique_ptr<pqxx::connection> connect_database(const std::string& url, int connect_timeout_s = 5,
                                                   bool bounded = true);

// Turns a libpq/libpqxx failure text into a classified, redacted DbError.
DbError classify_db_error(const std::string& message);

// A PostgreSQL array literal ("{\"a\",\"b\"}"); every element quoted and escaped, so
// any text (IDs, keys) survives as a bound parameter cast to text[] or uuid[].
std::string pg_array(const std::vector<std::string>& items);

// "host:port/dbname" of a connection string, for messages (no credentials).
std::string describe_database(const std::string& url);

}  // namespace runner
