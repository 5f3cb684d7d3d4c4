#include "adapters/env/conninfo.hpp"

#include <libpq-fe.h>

#include <string_view>

namespace runner {

std::string conninfo_value(const std::string& url, const char* keyword) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (err) PQfreemem(err);
  if (!opts) return "";
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (std::string_view(o->keyword) == keyword && o->val) out = o->val;
  PQconninfoFree(opts);
  return out;
}

}  // namespace runner
