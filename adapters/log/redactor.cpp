#include "adapters/log/redactor.hpp"

#include <nlohmann/json.hpp>

#include "adapters/http/basic_auth.hpp"
#include "adapters/http/percent_encoding.hpp"
#include "adapters/json/json_text.hpp"

#include <algorithm>

namespace runner {

namespace {

// The secret as it appears inside a JSON string the runner writes (the same
// serializer, so the same escapes).
std::string json_escaped(const std::string& s) {
  const std::string quoted = json_dump(nlohmann::json(s));
  return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

bool Redactor::add_secret(std::string secret) {
  if (secret.size() < min_secret_length) return false;
  add_forms({json_escaped(secret), percent_encode(secret), percent_decode(secret), std::move(secret)});
  return true;
}

void Redactor::add_basic_auth(const std::string& user, const std::string& password) {
  if (password.size() < min_secret_length) return;
  add_forms({base64_encode(user + ":" + password)});
}

void Redactor::add_forms(std::vector<std::string> forms) {
  std::unique_lock lock(mutex_);
  for (auto& f : forms) {
    if (f.size() < min_secret_length || std::find(secrets_.begin(), secrets_.end(), f) != secrets_.end()) continue;
    secrets_.push_back(std::move(f));
  }
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::redact(std::string_view text) const {
  std::shared_lock lock(mutex_);
  std::string out(text);
  for (const auto& s : secrets_) {
    std::size_t pos = 0;
    while ((pos = out.find(s, pos)) != std::string::npos) {
      out.replace(pos, s.size(), mask);
      pos += mask.size();
    }
  }
  return out;
}

void Redactor::clear() {
  std::unique_lock lock(mutex_);
  secrets_.clear();
}

Redactor& global_redactor() {
  static Redactor instance;
  return instance;
}

namespace {
// [begin, end) of the password inside a URL's userinfo, or npos.
std::pair<std::size_t, std::size_t> password_span(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    auto start = scheme + 3;
    auto at = url.find('@', start);
    auto slash = url.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return {std::string::npos, 0};
    auto colon = url.find(':', start);
    if (colon == std::string::npos || colon > at) return {std::string::npos, 0};
    return {colon + 1, at};
  }
  // libpq keyword form: password=VALUE or password='VALUE'
  auto p = url.find("password=");
  if (p == std::string::npos) return {std::string::npos, 0};
  auto b = p + 9;
  if (b < url.size() && url[b] == '\'') {
    auto e = url.find('\'', b + 1);
    return {b + 1, e == std::string::npos ? url.size() : e};
  }
  auto e = url.find_first_of(" \t", b);
  return {b, e == std::string::npos ? url.size() : e};
}
}  // namespace

std::string url_password(const std::string& url) {
  auto [b, e] = password_span(url);
  if (b == std::string::npos || e <= b) return "";
  return url.substr(b, e - b);
}

std::string redact_url(const std::string& url) {
  auto [b, e] = password_span(url);
  if (b == std::string::npos || e <= b) return url;
  return url.substr(0, b) + std::string(Redactor::mask) + url.substr(e);
}

}  // namespace runner
