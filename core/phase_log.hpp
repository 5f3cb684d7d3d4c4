#pragma once
// The phases one scenario-iteration went through, in order, with start, duration
// and outcome: the report's `phases` column and the console's phase lines.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace runner {

struct PhaseRecord {
  std::string name, started_at, outcome;
  std::int64_t duration_ms = 0;
};

class PhaseLog {
 public:
  using Clock = std::chrono::system_clock;

  // Opens a phase (an open one is ended as "abandoned" first: phases never nest).
  void begin(std::string name, Clock::time_point now);
  // Ends the open phase; nullptr when none is open.
  const PhaseRecord* end(std::string outcome, Clock::time_point now);
  bool open() const { return open_; }
  // The open phase's name ("" when none).
  std::string current() const { return open_ ? records_.back().name : std::string(); }
  const std::vector<PhaseRecord>& records() const { return records_; }
  // {phase: {started_at, duration_ms, outcome}}, in lifecycle order.
  std::string json() const;

 private:
  std::vector<PhaseRecord> records_;
  Clock::time_point started_{};
  bool open_ = false;
};

// Where a phase comes in an iteration's lifecycle; a name not known here comes after
// every known one.
int phase_rank(const std::string& name);

// The stored `phases` column read back in the order the phases ran: by start, then by
// lifecycle rank for phases that started within the same second (jsonb keeps no key
// order). Entries that are not objects are skipped; nothing when the text is not JSON.
std::vector<PhaseRecord> stored_phases(const std::string& phases_json);

}  // namespace runner
