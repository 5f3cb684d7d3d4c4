#pragma once
// Console and log-file output for the whole program, on spdlog.
//
// One sink handles every line: it redacts secrets (global_redactor()), writes
// info lines to stdout as they are, every other level to stderr behind a level word
// ("warning: ", "error: ", "debug: "), colours only on a TTY without NO_COLOR, and
// mirrors each line to --log-file with a timestamp and ANSI codes stripped.
#include <cstdio>
#include <optional>
#include <string>

namespace runner {

struct LogSettings {
  int verbosity = 0;                    // 0 info, 1 (-v) info, 2+ (-vv) debug and trace
  std::optional<std::string> log_file;  // appended to; created when missing
  std::FILE* out = stdout;
  std::FILE* err = stderr;
  std::string colour = "auto";          // --color: auto (a TTY, no NO_COLOR, TERM not dumb) | always | never
  bool quiet = false;                   // run -q: no info lines on the console until set_quiet(false) (the log file keeps all)
};

// Installs the default logger. Throws std::runtime_error naming the file when the
// log file cannot be opened.
void setup_logging(const LogSettings& settings);

// Whether colour is used for a stream: a TTY, NO_COLOR unset or empty, and TERM not
// `dumb`.
bool colour_enabled(std::FILE* stream);

std::string strip_ansi(const std::string& text);

// Whether stdout is a terminal (the status line shows progress there; elsewhere, as in
// a CI log, progress is printed as heartbeat lines).
bool stdout_is_tty();

// `run -q` lifts its quiet for the final summary: the result is always printed.
void set_quiet(bool quiet);

// A status block kept at the bottom of a TTY (core/progress.hpp: the progress bar and
// one line per running iteration; lines separated by '\n', each narrower than the
// terminal) and redrawn under every line printed; "" removes it. Does nothing when
// stdout is not a terminal, and never reaches the log file.
void set_status_line(const std::string& text);

// stdout's width in columns when it is a terminal (80 when it cannot be read).
std::size_t terminal_columns();

}  // namespace runner
