// SqlStore: loading the facts the rules read.
#include <algorithm>
#include <map>

#include "store/sql_store.h"
#include "store/sql_util.h"

namespace captain {
namespace {

using sql::At;

std::optional<Instant> OptAt(const sql::Column& c) {
  if (c.isNull()) return std::nullopt;
  return At(c.getInt64());
}

}  // namespace

namespace {

constexpr const char* kEvidenceColumns =
    "SELECT r.run_id, r.commit_sha, r.branch, r.finished_at, i.service, i.ref, i.digest, "
    "i.scan, i.signed, i.signed_at FROM evidence_runs r JOIN evidence_images i ON "
    "i.run_id = r.run_id ";

std::vector<EvidenceImage> ReadEvidence(sql::Statement& q) {
  std::vector<EvidenceImage> out;
  while (q.executeStep()) {
    EvidenceImage e;
    e.run_id = q.getColumn(0).getString();
    e.commit = q.getColumn(1).getString();
    e.branch = q.getColumn(2).getString();
    e.finished_at = At(q.getColumn(3).getInt64());
    e.service = q.getColumn(4).getString();
    e.ref = q.getColumn(5).getString();
    e.digest = q.getColumn(6).getString();
    e.scan = ParseScan(q.getColumn(7).getString()).value_or(ScanResult::kNotRun);
    e.is_signed = q.getColumn(8).getInt() != 0;
    e.signed_at = OptAt(q.getColumn(9));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::vector<EvidenceImage> LoadEvidence(sql::Database& db, const std::string& run_id) {
  if (run_id.empty()) {
    sql::Statement q(
        db, std::string(kEvidenceColumns) + "ORDER BY r.finished_at DESC, r.run_id, i.service");
    return ReadEvidence(q);
  }
  sql::Statement q(db, std::string(kEvidenceColumns) + "WHERE r.run_id = ? ORDER BY i.service");
  q.bind(1, run_id);
  return ReadEvidence(q);
}

std::vector<EvidenceImage> LoadEvidenceOfCommit(sql::Database& db, const std::string& prefix) {
  if (prefix.empty()) return {};
  // Commits are lower-case hex: every one starting with `prefix` sorts before prefix + "g".
  sql::Statement q(db, std::string(kEvidenceColumns) +
                           "WHERE r.commit_sha >= ? AND r.commit_sha < ? "
                           "ORDER BY r.finished_at DESC, r.run_id, i.service");
  sql::Bind(q, prefix, prefix + "g");
  return ReadEvidence(q);
}

namespace {

constexpr const char* kDeploymentColumns =
    "SELECT d.id, d.release_id, d.env, d.service, d.commit_sha, d.old_tag, d.new_tag, "
    "d.signed_at, d.gitops_commit, d.by, d.at, d.rollback FROM deployments d ";

std::vector<Deployment> ReadDeployments(sql::Statement& q) {
  std::vector<Deployment> out;
  while (q.executeStep()) {
    Deployment d;
    d.id = q.getColumn(0).getInt64();
    d.release_id = q.getColumn(1).getString();
    d.env = q.getColumn(2).getString();
    d.service = q.getColumn(3).getString();
    d.commit = q.getColumn(4).getString();
    d.old_tag = q.getColumn(5).getString();
    d.new_tag = q.getColumn(6).getString();
    d.signed_at = OptAt(q.getColumn(7));
    d.gitops_commit = q.getColumn(8).getString();
    d.by = q.getColumn(9).getString();
    d.at = At(q.getColumn(10).getInt64());
    d.rollback = q.getColumn(11).getInt() != 0;
    out.push_back(std::move(d));
  }
  return out;
}

// A release's deployments, or (release_id empty) every release's.
std::vector<Deployment> LoadDeployments(sql::Database& db, const std::string& release_id) {
  if (release_id.empty()) {
    sql::Statement q(db, std::string(kDeploymentColumns) + "ORDER BY d.at, d.id");
    return ReadDeployments(q);
  }
  sql::Statement q(db,
                   std::string(kDeploymentColumns) + "WHERE d.release_id = ? ORDER BY d.at, d.id");
  q.bind(1, release_id);
  return ReadDeployments(q);
}

// What runs in each (service, environment): its latest deployment, kept in `running`; only
// the fields signature ages read (service, env, new_tag, signed_at, at, id).
std::vector<Deployment> LoadRunningDeployments(sql::Database& db) {
  sql::Statement q(db,
                   "SELECT d.id, d.service, d.env, d.new_tag, d.signed_at, d.at FROM running r "
                   "JOIN deployments d ON d.id = r.deployment_id");
  std::vector<Deployment> out;
  while (q.executeStep()) {
    Deployment d;
    d.id = q.getColumn(0).getInt64();
    d.service = q.getColumn(1).getString();
    d.env = q.getColumn(2).getString();
    d.new_tag = q.getColumn(3).getString();
    d.signed_at = OptAt(q.getColumn(4));
    d.at = At(q.getColumn(5).getInt64());
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<SignOff> LoadSignOffs(sql::Database& db, const std::string& release_id) {
  std::string sql = "SELECT team, env, by, at FROM signoffs ";
  if (!release_id.empty()) sql += "WHERE release_id = ? ";
  sql::Statement q(db, sql + "ORDER BY at, id");
  if (!release_id.empty()) q.bind(1, release_id);
  std::vector<SignOff> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                   q.getColumn(2).getString(), At(q.getColumn(3).getInt64())});
  }
  return out;
}

Defect ReadDefect(sql::Statement& q) {
  Defect d;
  d.id = q.getColumn(0).getInt64();
  d.release_id = q.getColumn(1).getString();
  d.service = q.getColumn(2).getString();
  d.title = q.getColumn(3).getString();
  d.opened_by = q.getColumn(4).getString();
  d.opened_at = At(q.getColumn(5).getInt64());
  d.resolved_by = q.getColumn(6).getString();
  d.resolved_at = OptAt(q.getColumn(7));
  return d;
}

constexpr const char* kDefectColumns =
    "SELECT id, release_id, service, title, opened_by, opened_at, resolved_by, resolved_at "
    "FROM defects ";

}  // namespace

void SqlStore::LoadDevelop(ReleaseFacts& f) {
  sql::Statement dev(db_,
                     "SELECT commit_sha, at FROM develop_heads ORDER BY at DESC, id DESC LIMIT 1");
  if (dev.executeStep()) {
    f.develop = DevelopHead{dev.getColumn(0).getString(), At(dev.getColumn(1).getInt64())};
  }
}

// The evidence a release's rules read: the runs of develop's head, of the candidate and of
// each hotfix commit, and the newest run (the candidate when develop moved past every run).
void SqlStore::LoadReleaseEvidence(ReleaseFacts& f) {
  std::vector<std::string> commits;
  if (f.develop) commits.push_back(f.develop->commit);
  commits.push_back(f.release.candidate_commit);
  for (const auto& s : f.swaps) commits.push_back(s.commit);
  std::map<std::pair<std::string, std::string>, EvidenceImage> found;
  auto add = [&](std::vector<EvidenceImage> images) {
    for (auto& e : images) {
      auto key = std::make_pair(e.run_id, e.service);
      found.emplace(std::move(key), std::move(e));
    }
  };
  sql::Statement newest(
      db_, "SELECT run_id FROM evidence_runs ORDER BY finished_at DESC, run_id LIMIT 1");
  if (newest.executeStep()) add(LoadEvidence(db_, newest.getColumn(0).getString()));
  std::sort(commits.begin(), commits.end());
  commits.erase(std::unique(commits.begin(), commits.end()), commits.end());
  for (const auto& c : commits) add(LoadEvidenceOfCommit(db_, c));
  for (auto& [key, e] : found) f.evidence.push_back(std::move(e));
  std::stable_sort(
      f.evidence.begin(), f.evidence.end(), [](const EvidenceImage& a, const EvidenceImage& b) {
        return a.finished_at != b.finished_at ? a.finished_at > b.finished_at : a.run_id < b.run_id;
      });
}

Result<std::vector<Deployment>> SqlStore::LoadRunning() {
  return Guard<std::vector<Deployment>>("load what runs where",
                                        [&] { return LoadRunningDeployments(db_); });
}

Result<std::vector<std::pair<std::string, Instant>>> SqlStore::LoadOldestSignatures() {
  return Guard<std::vector<std::pair<std::string, Instant>>>("load signature ages", [&] {
    sql::Statement q(db_,
                     "SELECT d.service, min(d.signed_at) FROM running r JOIN deployments d ON "
                     "d.id = r.deployment_id WHERE d.signed_at IS NOT NULL GROUP BY d.service");
    std::vector<std::pair<std::string, Instant>> out;
    while (q.executeStep())
      out.emplace_back(q.getColumn(0).getString(), At(q.getColumn(1).getInt64()));
    return out;
  });
}

Result<std::vector<EvidenceImage>> SqlStore::FindEvidence(const std::string& commit_prefix) {
  return Guard<std::vector<EvidenceImage>>(
      "find evidence", [&] { return LoadEvidenceOfCommit(db_, commit_prefix); });
}

Result<std::optional<Defect>> SqlStore::FindDefect(int64_t id) {
  return Guard<std::optional<Defect>>("find defect", [&]() -> std::optional<Defect> {
    sql::Statement q(db_, std::string(kDefectColumns) + "WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return std::nullopt;
    return ReadDefect(q);
  });
}

Result<ReleaseFacts> SqlStore::LoadHistory() {
  return Guard<ReleaseFacts>("load history", [&] {
    ReleaseFacts f;
    LoadDevelop(f);
    f.evidence = LoadEvidence(db_);
    f.deployments = LoadDeployments(db_, "");
    f.signoffs = LoadSignOffs(db_, "");
    return f;
  });
}

Result<ReleaseFacts> SqlStore::LoadFacts(const std::string& release_id) {
  auto release = FindRelease(release_id);
  if (!release) return release.error();
  if (!*release) return UsageError("unknown release '" + release_id + "'");
  return Guard<ReleaseFacts>("load release", [&] {
    ReleaseFacts f;
    f.release = **release;
    LoadDevelop(f);
    f.deployments = LoadDeployments(db_, release_id);
    f.signoffs = LoadSignOffs(db_, release_id);
    {
      sql::Statement q(db_,
                       "SELECT team, service, answer, by, at, late_reason FROM opt_answers "
                       "WHERE release_id = ? ORDER BY at, id");
      q.bind(1, release_id);
      while (q.executeStep()) {
        f.opts.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                          q.getColumn(2).getString() == "in" ? OptAnswer::kIn : OptAnswer::kOut,
                          q.getColumn(3).getString(), At(q.getColumn(4).getInt64()),
                          q.getColumn(5).getString()});
      }
    }
    {
      sql::Statement q(db_,
                       "SELECT service, reason, by, at, kind FROM gate_overrides WHERE "
                       "release_id = ? ORDER BY at, id");
      q.bind(1, release_id);
      while (q.executeStep()) {
        f.overrides.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                               q.getColumn(2).getString(), At(q.getColumn(3).getInt64()),
                               q.getColumn(4).getString()});
      }
    }
    {
      sql::Statement q(db_,
                       "SELECT service, reason, by, at FROM service_cancels WHERE "
                       "release_id = ? ORDER BY at, id");
      q.bind(1, release_id);
      while (q.executeStep()) {
        f.cancels.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                             q.getColumn(2).getString(), At(q.getColumn(3).getInt64())});
      }
    }
    {
      sql::Statement q(db_,
                       "SELECT service, commit_sha, by, at FROM candidate_swaps WHERE "
                       "release_id = ? ORDER BY at, id");
      q.bind(1, release_id);
      while (q.executeStep()) {
        f.swaps.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                           q.getColumn(2).getString(), At(q.getColumn(3).getInt64())});
      }
    }
    {
      sql::Statement q(db_, std::string(kDefectColumns) + "WHERE release_id = ? ORDER BY id");
      q.bind(1, release_id);
      while (q.executeStep()) f.defects.push_back(ReadDefect(q));
    }
    {
      sql::Statement q(db_,
                       "SELECT env, service, healthy, at FROM health WHERE release_id = ? "
                       "ORDER BY at, id");
      q.bind(1, release_id);
      while (q.executeStep()) {
        f.health.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                            q.getColumn(2).getInt() != 0, At(q.getColumn(3).getInt64())});
      }
    }
    {
      sql::Statement q(db_,
                       "SELECT category, text, by, at FROM release_notes WHERE release_id = ? "
                       "ORDER BY at, id");
      q.bind(1, release_id);
      while (q.executeStep()) {
        f.notes.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                           q.getColumn(2).getString(), At(q.getColumn(3).getInt64())});
      }
    }
    {
      sql::Statement q(db_,
                       "SELECT service, ref, digest, verdict, revision, signed_at, detail, "
                       "checked_at, image_digest, keys FROM registry_checks WHERE release_id = ? "
                       "ORDER BY id");
      q.bind(1, release_id);
      while (q.executeStep()) {
        RegistryCheck c;
        c.service = q.getColumn(0).getString();
        c.ref = q.getColumn(1).getString();
        c.digest = q.getColumn(2).getString();
        c.verdict = q.getColumn(3).getString();
        c.revision = q.getColumn(4).getString();
        if (!q.getColumn(5).isNull()) c.signed_at = At(q.getColumn(5).getInt64());
        c.detail = q.getColumn(6).getString();
        c.checked_at = At(q.getColumn(7).getInt64());
        c.image_digest = q.getColumn(8).getString();
        c.keys = q.getColumn(9).getString();
        f.registry_checks.push_back(std::move(c));
      }
    }
    LoadReleaseEvidence(f);
    return f;
  });
}

}  // namespace captain
