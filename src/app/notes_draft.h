// Release notes drafted from the source repository's history between what runs in the last
// environment and the release's candidate.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/app.h"

namespace captain {

struct NotesDraft {
  std::string from;  // deployed commit (empty: none known)
  std::string to;    // candidate commit
  size_t commits = 0;
  std::map<std::string, std::vector<std::string>> notes;
};

// `from` empty: the commit last deployed to the last environment. `save`: record the
// draft as the release's notes (the captain edits them with `release note`).
Result<NotesDraft> DraftReleaseNotes(const App& app, const std::string& release_id,
                                     const std::string& from, bool save, const std::string& by);

}  // namespace captain
