#pragma once
// A problem found while loading scenarios, printed as
// "<severity>: <file>: <json path>: <message>".
#include <string>

namespace runner {

struct Problem {
  std::string file;
  std::string path;  // JSON path such as "validation.tasks[2].pattern"; "(file)" for the whole file
  std::string message;
  // What kind of problem, for tools and for `validate` deciding its severity:
  // "" (the loader's checks), "unknown_field", "no_checks", "syntax_check".
  std::string code = "";

  std::string format(const char* severity) const { return std::string(severity) + ": " + file + ": " + path + ": " + message; }
  // The same without the severity word (the logger adds "error:"/"warning:").
  std::string text() const { return file + ": " + path + ": " + message; }
};

}  // namespace runner
