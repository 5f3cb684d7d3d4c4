#pragma once
// dotenv-style env file parsing: KEY=VALUE, `#` comments, blank lines, optional
// `export `, single quotes (literal), double quotes (\n, \", \\ escapes).
// No shell expansion: `$HOME` stays `$HOME`.
#include <map>
#include <stdexcept>
#include <string>

namespace runner {

// Thrown for a malformed line; what() is "<file>:<line>: <problem>".
struct EnvFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using EnvMap = std::map<std::string, std::string>;

// Parses env-file text; `origin` names the file in error messages.
EnvMap parse_env_text(const std::string& text, const std::string& origin);
// Reads and parses a file; an unreadable file is an EnvFileError too.
EnvMap parse_env_file(const std::string& path);

}  // namespace runner
