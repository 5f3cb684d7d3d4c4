#pragma once
// Secret redaction. Every line the program prints or writes to --log-file passes
// through the one process-wide Redactor (see logging.hpp), so a secret registered
// here can never reach the console or a log file.
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace runner {

class Redactor {
 public:
  static constexpr std::string_view mask = "***";
  // Shorter values are not masked: masking "k" would garble every line. Such a
  // secret is no secret; the caller warns about it.
  static constexpr std::size_t min_secret_length = 4;

  // Returns false when the value is too short to be masked. Registers the forms the
  // secret takes in text the runner handles too: JSON-escaped, percent-encoded and
  // percent-decoded.
  bool add_secret(std::string secret);
  // HTTP basic authentication: the base64 of "user:password" (as an Authorization
  // header echoed back would show it).
  void add_basic_auth(const std::string& user, const std::string& password);
  // Copy of `text` with every registered secret replaced by the mask.
  std::string redact(std::string_view text) const;
  void clear();

 private:
  void add_forms(std::vector<std::string> forms);  // the masks, longest first, no repeats
  mutable std::shared_mutex mutex_;
  std::vector<std::string> secrets_;  // longest first, so overlapping secrets mask fully
};

// The process-wide instance used by the logging sink.
Redactor& global_redactor();

// The password part of a URL's userinfo ("postgres://u:PW@h/db" -> "PW"), or "".
// Also understands libpq key=value strings ("... password=PW ...").
std::string url_password(const std::string& url);
// The URL with its password replaced by the mask, for display.
std::string redact_url(const std::string& url);

}  // namespace runner
