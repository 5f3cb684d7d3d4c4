#pragma once
// The one regex engine for scenario patterns: PCRE2, case-insensitive, UTF-8,
// search semantics (a match anywhere passes), JavaScript-like escapes (\uXXXX),
// bounded by match and depth limits so a pathological pattern cannot hang a run.
// Invalid UTF-8 in the subject (agent output) is tolerated, not an error.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace runner {

class Regex {
 public:
  // Compiles `pattern`; on failure returns nullopt and sets `error` to
  // "<pcre2 message> at offset N".
  static std::optional<Regex> compile(std::string_view pattern, std::string* error);

  // True when the pattern matches somewhere in `subject`. Throws std::runtime_error
  // when a match limit is hit (the verdict would be unknown).
  bool search(std::string_view subject) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Code;
  Regex(std::shared_ptr<const Code> code, std::string pattern);
  std::shared_ptr<const Code> code_;
  std::string pattern_;
};

}  // namespace runner
