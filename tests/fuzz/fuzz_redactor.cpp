// libFuzzer target: the redactor. The input is a secret, a NUL, then a text. A secret
// it accepts never survives in the redacted text (unless it holds the mask's '*',
// which masking itself can rebuild), and valid UTF-8 stays valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/log/redactor.hpp"
#include "adapters/text/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto cut = in.find('\0');
  if (cut == std::string_view::npos) return 0;
  const std::string secret(in.substr(0, cut));
  const std::string_view text = in.substr(cut + 1);
  runner::Redactor r;
  const bool added = r.add_secret(secret);
  r.add_basic_auth("user", secret);
  const std::string out = r.redact(text);
  if (added && secret.find('*') == std::string::npos && out.find(secret) != std::string::npos) std::abort();
  if (runner::utf8_valid(text) && runner::utf8_valid(secret) && !runner::utf8_valid(out)) std::abort();
  return 0;
}
