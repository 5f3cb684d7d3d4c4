#include "adapters/db/database.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <map>
#include <pqxx/pqxx>

#include "adapters/env/conninfo.hpp"
#include "adapters/env/env_number.hpp"
#include "adapters/log/redactor.hpp"

namespace runner {
namespace {

// A libpq key=value value, quoted.
std::string quoted(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The connection string as libpq parsed it (URI or key=value), re-written as
// key=value with our defaults for what the user left unset: the connect timeout,
// TCP keepalives and a user timeout (a dead peer is noticed in about half a
// minute), and a server-side statement timeout. What the user set wins.
std::string conninfo_with_defaults(const std::string& url, int connect_timeout_s, bool bounded) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (err) PQfreemem(err);
  if (!opts) return url;  // check_database_url has already refused it
  std::map<std::string, std::string> set;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val && *o->val) set[o->keyword] = o->val;
  PQconninfoFree(opts);
  const auto statement_ms =
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(database_timeouts().statement).count());
  const std::pair<const char*, std::string> defaults[] = {
      {"connect_timeout", std::to_string(connect_timeout_s)},
      {"keepalives", "1"},
      {"keepalives_idle", "10"},
      {"keepalives_interval", "5"},
      {"keepalives_count", "3"},
      {"tcp_user_timeout", statement_ms},
  };
  for (const auto& [k, v] : defaults) set.emplace(k, v);
  // The statement timeout joins the user's own server options, unless they set one.
  const std::string timeout = "-c statement_timeout=" + (bounded ? statement_ms : std::string("0"));
  std::string& options = set["options"];
  if (options.find("statement_timeout") == std::string::npos) options += (options.empty() ? "" : " ") + timeout;
  std::string out;
  for (const auto& [k, v] : set) out += (out.empty() ? "" : " ") + k + "=" + quoted(v);
  return out;
}

}  // namespace

const DatabaseTimeouts& database_timeouts() {
  static const DatabaseTimeouts t{
      std::chrono::seconds(env_number("RUNNER_DB_STATEMENT_TIMEOUT_S", 30, 1, 3600)),
      std::chrono::seconds(env_number("RUNNER_DB_WAIT_S", 180, 0, 86'400)),
  };
  return t;
}

bool transient_sqlstate(const std::string& s) {
  for (const char* prefix : {"08", "57", "40", "53", "55P03", "58"})
    if (s.rfind(prefix, 0) == 0) return true;
  return false;
}

bool db_unreachable(const DbError& e) {
  switch (e.kind) {
    case DbError::Kind::refused:
    case DbError::Kind::unknown_host:
    case DbError::Kind::timeout:
    case DbError::Kind::other:
      return true;
    default:
      return false;
  }
}

void check_database_url(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "unparsable";
    if (err) PQfreemem(err);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw DbError(DbError::Kind::bad_url, "DATABASE_URL does not parse: " + global_redactor().redact(msg));
  }
  PQconninfoFree(opts);
}

DbError classify_db_error(const std::string& raw) {
  std::string msg = global_redactor().redact(raw);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  // libpq messages can span lines; keep them on one.
  for (char& c : msg)
    if (c == '\n') c = ' ';
  auto has = [&](const char* s) { return msg.find(s) != std::string::npos; };
  if (has("password authentication failed") || has("no password supplied") || has("authentication failed"))
    return {DbError::Kind::auth, "database authentication failed (check the user and password in DATABASE_URL)"};
  if (has("does not exist") && has("database"))
    return {DbError::Kind::no_database, "database missing: " + msg};
  if (has("Connection refused")) return {DbError::Kind::refused, "database refused the connection: " + msg};
  if (has("could not translate host name")) return {DbError::Kind::unknown_host, "database host unknown: " + msg};
  if (has("timeout expired")) return {DbError::Kind::timeout, "database connection timed out: " + msg};
  if (has("not connected") || has("server closed the connection") || has("terminating connection") ||
      has("Lost connection"))
    return {DbError::Kind::other, "database connection lost: " + msg};
  return {DbError::Kind::other, "database error: " + msg};
}

std::unique_ptr<pqxx::connection> connect_database(const std::string& url, int connect_timeout_s, bool bounded) {
  check_database_url(url);
  try {
    return std::make_unique<pqxx::connection>(conninfo_with_defaults(url, connect_timeout_s, bounded));
  } catch (const std::exception& e) {
    throw classify_db_error(e.what());
  }
}

std::string describe_database(const std::string& url) {
  std::string host = conninfo_value(url, "host");
  std::string port = conninfo_value(url, "port");
  std::string db = conninfo_value(url, "dbname");
  return (host.empty() ? "localhost" : host) + ":" + (port.empty() ? "5432" : port) + "/" + db;
}

// A PostgreSQL array literal; every element quoted, so any text id survives.
std::string pg_array(const std::vector<std::string>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char c : ids[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace runner
