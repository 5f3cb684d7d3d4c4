#pragma once
// PostgreSQL access shared by the runner's DB adapters: connection-string checks,
// connecting with a timeout, and failures classified so that pre-flight can say
// what is wrong (the password never appears in a message).
// Include only from adapters/db/*.cpp: it pulls in libpqxx.
#include <memory>
#include <pqxx/connection>
#include <string>

#include "adapters/db/db_error.hpp"

namespace runner {

// Throws DbError(bad_url) when libpq cannot parse the connection string.
void check_database_url(const std::string& url);

// Connects with `connect_timeout_s`; throws a classified DbError.
std::unique_ptr<pqxx::connection> connect_database(const std::string& url, int connect_timeout_s = 5);

// Turns a libpq/libpqxx failure text into a classified, redacted DbError.
DbError classify_db_error(const std::string& message);

// "host:port/dbname" of a connection string, for messages (no credentials).
std::string describe_database(const std::string& url);

bool is_uuid(const std::string& s);

}  // namespace runner
