#pragma once
// HTTP basic authentication: base64 and the header line.
#include <string>

namespace runner {

std::string base64_encode(const std::string& in);
// "Authorization: Basic base64(user:password)". The result holds a secret: it must
// only travel in a request, never in a log line.
std::string basic_auth_header(const std::string& user, const std::string& password);

}  // namespace runner
