#pragma once
// Percent-encoding of URL components (RFC 3986): for query values the runner sends,
// and for the forms a secret takes inside URLs (the redactor masks those too).
#include <string>

namespace runner {

// Every byte but the unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX.
std::string percent_encode(const std::string& s);
// %XX sequences back to bytes; anything else (a lone '%') stays as written.
std::string percent_decode(const std::string& s);

}  // namespace runner
