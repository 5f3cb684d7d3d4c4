#pragma once
// Test helpers: a temporary folder removed at scope exit, file writing, and a child
// process (a test server) killed at scope exit.
#include <filesystem>
#include <string>
#include <vector>

namespace test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

// Writes `content` to `file`, creating parent folders.
void write_file(const std::filesystem::path& file, const std::string& content);
std::string read_file(const std::filesystem::path& file);
// Runs a shell command; returns its exit status. For test set-up only.
int sh(const std::string& command);
// Runs a shell command and returns its stdout.
std::string sh_out(const std::string& command);
// True when `needle` occurs in any file below `dir`.
bool tree_contains(const std::filesystem::path& dir, const std::string& needle);

// A child process whose first stdout line is read (for example a server's port).
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  const std::string& first_line() const { return first_line_; }

 private:
  int pid_ = -1;
  std::string first_line_;
};

}  // namespace test
