#pragma once
// Where report files go: written whole or not at all (a CI job that reads a half
// file reads garbage), "-" for stdout; the step summary of GitHub Actions appended to.
#include <string>

namespace runner {

// Writes `text` to `path` through a temporary file in the same folder and a rename;
// "-" writes to stdout. Returns "" or one line saying what failed, naming the file.
std::string write_report_file(const std::string& path, const std::string& text);

// Appends `text` to `path` ($GITHUB_STEP_SUMMARY). Returns "" or what failed.
std::string append_report_file(const std::string& path, const std::string& text);

}  // namespace runner
