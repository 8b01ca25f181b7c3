// Commit subjects of the source repository between two commits, via a bare mirror kept under
// captain's state directory (cloned on first use, fetched after).
#pragma once

#include <string>
#include <vector>

#include "util/result.h"

namespace captain {

// Subjects of the commits reachable from `to` and not from `from` (newest first). `from`
// empty: the last `limit` commits up to `to`.
Result<std::vector<std::string>> CommitSubjectsBetween(const std::string& url,
                                                       const std::string& mirror_dir,
                                                       const std::string& from,
                                                       const std::string& to, size_t limit = 500);

}  // namespace captain
