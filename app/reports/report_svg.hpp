#pragma once
// The HTML report's charts, drawn as inline SVG by our own code (no chart library, no
// network): a timeline of every iteration's phases and, for VM runs, the RAM leased
// and the clones alive against the budget.
#include <cstddef>
#include <string>
#include <vector>

#include "messages/report.hpp"

namespace runner {

// Seconds since the epoch of an ISO 8601 UTC time as the runner writes them
// ("2026-11-28T09:56:39Z", fractions of a second allowed); -1 when `text` is not one.
double iso_utc_seconds(const std::string& text);

// A Gantt chart: one row per iteration with phases (the first `max_rows` of them; a
// row's data-iteration is its index in `reports`), one <rect class="phase">
// per phase with its name, duration and outcome in a <title>, in the order the phases
// ran (core/phase_log.hpp stored_phases). A phase starts at its
// stored start (whole seconds) or where the one before it ended, whichever is later,
// so the phases of one iteration never overlap. "" when no iteration has phases.
std::string timeline_svg(const std::vector<ScenarioReport>& reports, std::size_t max_rows);

// The VM modes' capacity record ({"budget_mib", "peak_mib", "peak_clones",
// "timeline": [[seconds, clones, mib], ...]}) as a step chart of MiB leased and clones
// alive over the run, with the budget as a dashed line. "" when there is no record or
// no timeline.
std::string capacity_svg(const std::string& capacity_json);

}  // namespace runner
