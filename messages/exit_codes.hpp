#pragma once
// Process exit codes of 2501-runner; documented in README.md.
namespace runner::exit_code {
inline constexpr int success = 0;
inline constexpr int scenarios_failed = 1;   // --fail-on-error and >= 1 iteration not passed
inline constexpr int usage = 2;              // bad command line or scenario definition
inline constexpr int preflight = 3;          // pre-flight check failed
inline constexpr int infrastructure = 4;     // infrastructure error during the run
inline constexpr int interrupted = 130;      // SIGINT/SIGTERM
}  // namespace runner::exit_code
