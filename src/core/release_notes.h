// Release notes drafted from commit subjects, sorted into the policy's categories by their
// conventional-commit prefix. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace captain {

// "feat(api)!: add X" -> {"new-features", "add X"}; a subject without a known prefix goes
// to no category (empty first).
std::pair<std::string, std::string> CategorizeCommit(const std::string& subject);

// Category -> entries, in commit order; {"signature-refresh": []} when nothing is new.
std::map<std::string, std::vector<std::string>> DraftNotes(
    const std::vector<std::string>& subjects);

}  // namespace captain
