#pragma once
// A database failure, classified so that messages can say what is wrong.
#include <stdexcept>
#include <string>

namespace runner {

struct DbError : std::runtime_error {
  // query: the database answered but refused the statement; the others mean it
  // could not be reached or used at all.
  enum class Kind { bad_url, refused, unknown_host, auth, no_database, timeout, query, other };
  DbError(Kind k, const std::string& what) : std::runtime_error(what), kind(k) {}
  Kind kind;
};

}  // namespace runner
