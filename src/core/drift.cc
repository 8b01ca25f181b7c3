#include "core/drift.h"

#include <set>

#include "core/signatures.h"

namespace captain {
namespace {

std::string Bare(std::string ch) {
  while (!ch.empty() && (ch.front() == '#' || ch.front() == ' ')) ch.erase(ch.begin());
  while (!ch.empty() && ch.back() == ' ') ch.pop_back();
  return ch;
}

}  // namespace

std::string_view DriftStatusName(DriftStatus s) {
  switch (s) {
    case DriftStatus::kInSync:
      return "in-sync";
    case DriftStatus::kDrift:
      return "drift";
    case DriftStatus::kUnmanaged:
      return "unmanaged";
    case DriftStatus::kUnreadable:
      return "unreadable";
  }
  return "unknown";
}

bool DriftReport::clean() const {
  if (!channels.empty()) return false;
  for (const auto& r : rows) {
    if (r.status == DriftStatus::kDrift || r.status == DriftStatus::kUnreadable ||
        r.never_in_lower) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> SplitChannels(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text + ";") {
    if (ch == ';' || ch == ',') {
      if (!Bare(cur).empty()) out.push_back(Bare(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  return out;
}

DriftReport ComputeDrift(const Config& c, const std::vector<RepoTag>& repo,
                         const std::vector<Deployment>& history,
                         const std::vector<AlertSetting>& alerts,
                         const std::vector<RepoTag>& lower_history) {
  DriftReport report;
  auto running = Running(history);
  std::set<std::string> lower_envs;
  for (const auto& e : c.environments) {
    if (e.tier == Tier::kLower) lower_envs.insert(e.name);
  }
  // Tags each service ever ran in a lower environment: captain's records, the repo now and the
  // repo's history.
  std::map<std::string, std::set<std::string>> lower_tags;
  for (const auto& d : history) {
    if (lower_envs.count(d.env)) lower_tags[d.service].insert(d.new_tag);
  }
  for (const auto* tags : {&repo, &lower_history}) {
    for (const auto& r : *tags) {
      if (lower_envs.count(r.env) && r.tag) lower_tags[r.service].insert(*r.tag);
    }
  }
  for (const auto& r : repo) {
    DriftRow row;
    row.service = r.service;
    row.env = r.env;
    for (const auto& d : running) {
      if (d.service == r.service && d.env == r.env) row.recorded_tag = d.new_tag;
    }
    if (!r.tag) {
      row.status = DriftStatus::kUnreadable;
      row.detail = r.error;
    } else {
      row.repo_tag = *r.tag;
      if (row.recorded_tag.empty()) {
        row.status = DriftStatus::kUnmanaged;
        row.detail = "captain has not deployed it";
      } else if (row.recorded_tag != row.repo_tag) {
        row.status = DriftStatus::kDrift;
        row.detail =
            "captain deployed " + row.recorded_tag + "; the repository has " + row.repo_tag;
      }
      const Environment* env = c.FindEnvironment(r.env);
      if (env && env->tier == Tier::kHigher && !lower_tags[r.service].count(*r.tag)) {
        row.never_in_lower = true;
        row.detail += (row.detail.empty() ? "" : "; ") + std::string("tag ") + *r.tag +
                      " never ran in a lower environment";
      }
    }
    report.rows.push_back(std::move(row));
  }
  for (const auto& a : alerts) {
    const Service* s = c.FindService(a.service);
    const Team* t = s ? c.FindTeam(s->team) : nullptr;
    if (!t) continue;
    std::string expected = Bare(t->channel);
    std::string found;
    bool ok = !a.channels.empty();
    for (const auto& ch : a.channels) {
      found += (found.empty() ? "" : ";") + Bare(ch);
      ok = ok && Bare(ch) == expected;
    }
    if (!ok) report.channels.push_back({a.service, a.env, a.field, found, expected});
  }
  return report;
}

}  // namespace captain
