#include "adapters/log/logging.hpp"

#include <spdlog/sinks/base_sink.h>

#include <filesystem>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "adapters/log/redactor.hpp"
#include "adapters/text/columns.hpp"
#include "adapters/text/utf8.hpp"

namespace runner {
namespace {

// TERM=dumb: a terminal that cannot move the cursor, so no status line; progress then
// comes as heartbeat lines as in a CI log.
bool dumb_terminal() {
  const char* term = std::getenv("TERM");
  return term && std::string_view(term) == "dumb";
}

const char* level_word(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::warn: return "warning";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "error";
    default: return "info";
  }
}

const char* level_colour(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::trace:
    case spdlog::level::debug: return "\x1b[2m";
    case spdlog::level::warn: return "\x1b[33m";
    case spdlog::level::err:
    case spdlog::level::critical: return "\x1b[31;1m";
    default: return "";
  }
}

std::string utc_timestamp(std::chrono::system_clock::time_point tp) {
  auto t = std::chrono::system_clock::to_time_t(tp);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

class ConsoleSink;
std::weak_ptr<ConsoleSink> g_console;  // for set_status_line()

class ConsoleSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  void set_quiet(bool quiet) { quiet_ = quiet; }

  void set_status(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!out_tty_) return;
    if (text.empty() && drawn_lines_ == 0) return;  // nothing shown, nothing to clear: not a byte written
    // Erase the old block and draw the new one in one write: no flicker, and a line
    // printed by another thread cannot land in between (the sink's mutex is held).
    std::string frame = lift_frame();
    // -q prints no progress; a run in the background (`run ... &`) must not draw over
    // the shell the user types in.
    status_ = quiet_ || ::tcgetpgrp(::fileno(out_)) != ::getpgrp() ? std::string() : text;
    frame += draw_frame();
    std::fwrite(frame.data(), 1, frame.size(), out_);
    std::fflush(out_);
  }

  ConsoleSink(std::FILE* out, std::FILE* err, std::optional<std::string> log_file, const std::string& colour, bool quiet)
      : out_(out), err_(err),
        out_colour_(colour == "always" || (colour == "auto" && colour_enabled(out))),
        err_colour_(colour == "always" || (colour == "auto" && colour_enabled(err))),
        out_tty_(out && ::isatty(::fileno(out)) && !dumb_terminal()), quiet_(quiet) {
    if (log_file) {
      std::error_code ec;
      if (std::filesystem::is_directory(*log_file, ec))
        throw std::runtime_error("--log-file: '" + *log_file + "' is a folder");
      file_.open(*log_file, std::ios::app);
      if (!file_) throw std::runtime_error("--log-file: cannot open '" + *log_file + "' for writing");
      // A file that opens but cannot be written (/dev/full, a full disk) is found now,
      // not after the run: one line saying who starts writing, flushed.
      file_ << utc_timestamp(std::chrono::system_clock::now()) << " info === 2501-runner (pid " << ::getpid()
            << ") ===" << '\n';
      file_.flush();
      if (!file_) throw std::runtime_error("--log-file: cannot write to '" + *log_file + "'");
    }
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    // Redaction happens first and once: every destination gets the redacted text.
    // Then the text is made safe for a terminal: whatever an engine, a playbook or an
    // agent printed can colour a line at most.
    std::string text =
        terminal_text(global_redactor().redact(std::string_view(msg.payload.data(), msg.payload.size())));
    const bool is_info = msg.level == spdlog::level::info;
    std::FILE* stream = is_info ? out_ : err_;
    const bool colour = is_info ? out_colour_ : err_colour_;
    if (quiet_ && is_info) {  // -q: the log file still gets every line
      if (file_.is_open()) {
        file_ << utc_timestamp(msg.time) << ' ' << level_word(msg.level) << ' ' << strip_ansi(text) << '\n';
        file_.flush();
      }
      return;
    }
    std::string line;
    if (is_info) {
      line = colour ? text : strip_ansi(text);
    } else if (colour) {
      line = std::string(level_colour(msg.level)) + level_word(msg.level) + ":\x1b[0m " + text;
    } else {
      line = std::string(level_word(msg.level)) + ": " + strip_ansi(text);
    }
    line += '\n';
    if (out_tty_ && !status_.empty()) {
      const std::string lift = lift_frame();  // lift the status block
      std::fwrite(lift.data(), 1, lift.size(), out_);
      std::fflush(out_);  // before a stderr line overtakes it
    }
    std::fwrite(line.data(), 1, line.size(), stream);
    if (out_tty_ && !status_.empty()) {
      std::fflush(stream);
      const std::string draw = draw_frame();  // and put it back underneath
      std::fwrite(draw.data(), 1, draw.size(), out_);
      std::fflush(out_);
    }
    if (!is_info) std::fflush(stream);
    if (file_.is_open()) {
      file_ << utc_timestamp(msg.time) << ' ' << level_word(msg.level) << ' ' << strip_ansi(text) << '\n';
      file_.flush();  // a crash must not lose what was already printed
    }
  }
  void flush_() override {
    std::fflush(out_);
    std::fflush(err_);
    if (file_.is_open()) file_.flush();
  }

 private:
  // Back to the first line of the block drawn last, cleared to the end of the screen.
  std::string lift_frame() {
    std::string f = drawn_lines_ > 1 ? "\x1b[" + std::to_string(drawn_lines_ - 1) + "A" : "";
    drawn_lines_ = 0;
    return f + "\r\x1b[J";
  }
  // The block, its lines joined by CR LF, each cut to the terminal's width now and at
  // most its height less one (a resize between ticks must not make a line wrap or the
  // block scroll); the cursor stays at the end of its last line.
  std::string draw_frame() {
    if (status_.empty()) return "";
    struct winsize ws {};
    const bool sized = ::ioctl(::fileno(out_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0;
    const std::size_t width = sized ? ws.ws_col - 1u : 79u, height = sized && ws.ws_row > 1 ? ws.ws_row - 1u : 24u;
    std::string f;
    drawn_lines_ = 0;
    std::size_t from = 0;
    while (from <= status_.size() && drawn_lines_ < height) {
      const std::size_t to = std::min(status_.find('\n', from), status_.size());
      if (drawn_lines_) f += "\r\n";
      f += fit_columns(std::string_view(status_).substr(from, to - from), width);
      ++drawn_lines_;
      from = to + 1;
    }
    return f;
  }

  std::FILE* out_;
  std::FILE* err_;
  bool out_colour_;
  bool err_colour_;
  bool out_tty_;
  std::atomic<bool> quiet_{false};
  std::string status_;
  std::size_t drawn_lines_ = 0;  // lines of the status block on screen now
  std::ofstream file_;
};

}  // namespace

bool stdout_is_tty() {
  static const bool tty = ::isatty(STDOUT_FILENO) == 1 && !dumb_terminal();
  return tty;
}

bool colour_enabled(std::FILE* stream) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour && *no_colour) return false;
  if (dumb_terminal()) return false;  // a terminal that says it cannot do escape sequences
  return stream && ::isatty(::fileno(stream));
}

void set_quiet(bool quiet) {
  if (auto sink = g_console.lock()) sink->set_quiet(quiet);
}

void set_status_line(const std::string& text) {
  if (auto sink = g_console.lock()) sink->set_status(text);
}

std::size_t terminal_columns() {
  struct winsize ws {};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

std::string strip_ansi(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7e)) ++i;  // skip to the final byte
      continue;
    }
    out += text[i];
  }
  return out;
}

void setup_logging(const LogSettings& settings) {
  auto sink = std::make_shared<ConsoleSink>(settings.out, settings.err, settings.log_file, settings.colour, settings.quiet);
  g_console = sink;
  auto logger = std::make_shared<spdlog::logger>("2501-runner", sink);
  logger->set_level(settings.verbosity >= 2 ? spdlog::level::trace : spdlog::level::info);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

}  // namespace runner
