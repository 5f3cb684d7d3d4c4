// libFuzzer target: env-file text → parse_env_text. Bad input is an EnvFileError
// naming the origin and line, nothing else escapes; the error text is valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "adapters/env/env_file.hpp"
#include "adapters/text/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto env = runner::parse_env_text(text, "fuzz.env");
    for (const auto& [name, value] : env)
      if (name.empty()) std::abort();
  } catch (const runner::EnvFileError& e) {
    const std::string what = e.what();
    if (what.rfind("fuzz.env:", 0) != 0) std::abort();
  }
  return 0;
}
