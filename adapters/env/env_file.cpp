#include "adapters/env/env_file.hpp"

#include <filesystem>

#include <cctype>
#include <fstream>
#include <sstream>

namespace runner {
namespace {

bool valid_key(const std::string& k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0]))) return false;
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

[[noreturn]] void fail(const std::string& origin, std::size_t line, const std::string& what) {
  throw EnvFileError(origin + ":" + std::to_string(line) + ": " + what);
}

// Parses the value part of one line (after '='), handling quotes and trailing comments.
std::string parse_value(const std::string& raw, const std::string& origin, std::size_t line) {
  std::string v = trim(raw);
  if (v.empty()) return v;
  const char q = v[0];
  if (q == '\'' || q == '"') {
    std::string out;
    std::size_t i = 1;
    bool closed = false;
    for (; i < v.size(); ++i) {
      char c = v[i];
      if (c == q) { closed = true; ++i; break; }
      if (q == '"' && c == '\\' && i + 1 < v.size()) {
        char n = v[++i];
        switch (n) {
          case 'n': out += '\n'; break;
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          default: out += '\\'; out += n; break;  // unknown escapes stay as written
        }
        continue;
      }
      out += c;
    }
    if (!closed) fail(origin, line, std::string("unterminated ") + (q == '"' ? "double" : "single") + " quote");
    std::string rest = trim(v.substr(i));
    if (!rest.empty() && rest[0] != '#') fail(origin, line, "unexpected text after closing quote");
    return out;
  }
  // Unquoted: an inline comment starts at " #".
  auto hash = v.find(" #");
  if (hash != std::string::npos) v = trim(v.substr(0, hash));
  if (v.find_first_of("\"'") != std::string::npos)
    fail(origin, line, "quote inside an unquoted value (quote the whole value)");
  return v;
}

}  // namespace

EnvMap parse_env_text(const std::string& text_in, const std::string& origin) {
  EnvMap out;
  // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first key.
  const std::string_view bom = "\xEF\xBB\xBF";
  const std::string text = text_in.rfind(bom, 0) == 0 ? text_in.substr(bom.size()) : text_in;
  std::istringstream in(text);
  std::string raw;
  std::size_t line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    auto eq = line.find('=');
    if (eq == std::string::npos) fail(origin, line_no, "expected KEY=VALUE");
    std::string key = trim(line.substr(0, eq));
    if (!valid_key(key)) fail(origin, line_no, "invalid variable name '" + key + "'");
    out[key] = parse_value(line.substr(eq + 1), origin, line_no);
  }
  return out;
}

EnvMap parse_env_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw EnvFileError(path + ": is a folder, not an env file");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw EnvFileError(path + ": cannot read env file");
  std::stringstream ss;
  ss << f.rdbuf();
  if (f.bad()) throw EnvFileError(path + ": cannot read env file");
  return parse_env_text(ss.str(), path);
}

}  // namespace runner
