#pragma once
// Reading a PostgreSQL connection string the way libpq does (URI or key=value), for
// what the runner must know of it without connecting: the password to keep out of
// every output, the host and database to name in messages.
#include <string>

namespace runner {

// The value of `keyword` ("password", "host", "port", "dbname", ...) as libpq parses
// `url`, or "" when absent or when libpq cannot parse it.
std::string conninfo_value(const std::string& url, const char* keyword);

}  // namespace runner
