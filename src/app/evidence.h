// SecRel evidence: run reports and the develop branch's head.
#pragma once

#include <string>

#include "app/app.h"

namespace captain {

struct ImportOutcome {
  std::string run_id;
  std::string commit;
  size_t images = 0;
  bool already_imported = false;
  std::vector<std::string> warnings;  // e.g. services the configuration does not know
};

// Parses and validates a run report (DESIGN.md's format). A malformed report is refused
// whole with "name: $.images[2].scan: …"; importing the same run again changes nothing.
// A SecRel report is refused past this size (a run of hundreds of images is ~100 KiB).
inline constexpr size_t kMaxReportBytes = 16u << 20;

Result<std::vector<EvidenceImage>> ParseRunReport(const std::string& text, const std::string& name);
Result<ImportOutcome> ImportRunReport(const App& app, const std::string& text,
                                      const std::string& name, const std::string& by);

Status RecordDevelopHead(const App& app, const std::string& commit, const std::string& by);

}  // namespace captain
