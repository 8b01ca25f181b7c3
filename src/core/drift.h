// Drift: what the GitOps repository holds against what captain recorded, images in a higher
// environment that never passed the lower ones, and alert channels that are not the owning
// team's. Pure: the caller reads the repository.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/model.h"

namespace captain {

struct RepoTag {
  std::string service;
  std::string env;
  std::optional<std::string> tag;  // nullopt: could not be read (see error)
  std::string error;
};

// One ArgoCD notification setting of an app: e.g. prod's on_health_degraded_slack.
struct AlertSetting {
  std::string service;
  std::string env;
  std::string field;
  std::vector<std::string> channels;  // as written (with or without '#')
};

enum class DriftStatus { kInSync, kDrift, kUnmanaged, kUnreadable };
std::string_view DriftStatusName(DriftStatus s);

struct DriftRow {
  std::string service;
  std::string env;
  std::string repo_tag;
  std::string recorded_tag;
  DriftStatus status = DriftStatus::kInSync;
  bool never_in_lower = false;  // a higher environment runs a tag no lower one ever ran
  std::string detail;
};

struct ChannelProblem {
  std::string service;
  std::string env;
  std::string field;
  std::string found;
  std::string expected;
};

struct DriftReport {
  std::vector<DriftRow> rows;
  std::vector<ChannelProblem> channels;
  bool clean() const;
};

// `lower_history`: tags that lower environments' files held in earlier commits of the
// repository (what ran there before captain kept records); a higher environment's tag found
// there, in captain's records or in a lower environment now has passed a lower environment.
DriftReport ComputeDrift(const Config& c, const std::vector<RepoTag>& repo,
                         const std::vector<Deployment>& history,
                         const std::vector<AlertSetting>& alerts,
                         const std::vector<RepoTag>& lower_history = {});

// Splits a channel list written as a string ("a;b", "a, b") into names.
std::vector<std::string> SplitChannels(const std::string& text);

}  // namespace captain
