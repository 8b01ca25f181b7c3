// Test fakes for the use cases: a Store kept in memory (a transaction restores a copy of the
// whole state when its body fails) and a GitopsRepo whose files and commits live in a map.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gitops/git_repo.h"
#include "store/store.h"

namespace captain::testing {

class MemoryStore : public Store {
 public:
  Status Transaction(const std::function<Status()>& body) override {
    if (in_tx_) return body();
    State saved = s_;
    in_tx_ = true;
    Status st = body();
    in_tx_ = false;
    if (!st) s_ = std::move(saved);
    return st;
  }
  Result<std::optional<Release>> FindRelease(const std::string& id) override {
    for (const auto& r : s_.releases) {
      if (r.id == id) return std::optional<Release>(r);
    }
    return std::optional<Release>();
  }
  Result<std::vector<Release>> ListReleases() override { return s_.releases; }
  Result<std::vector<Release>> ListOpenReleases() override {
    std::vector<Release> out;
    for (const auto& r : s_.releases) {
      if (r.state != ReleaseState::kSignedOff && r.state != ReleaseState::kCancelled &&
          r.state != ReleaseState::kRolledBack) {
        out.push_back(r);
      }
    }
    return out;
  }
  Status InsertRelease(const Release& r) override {
    s_.releases.push_back(r);
    return {};
  }
  Status UpdateRelease(const Release& r) override {
    for (auto& x : s_.releases) {
      if (x.id == r.id) x = r;
    }
    return {};
  }
  Status AddOpt(const std::string& id, const OptRecord& o) override { return Add(s_.opts, id, o); }
  Status AddOverride(const std::string& id, const GateOverride& o) override {
    return Add(s_.overrides, id, o);
  }
  Status AddCancel(const std::string& id, const ServiceCancel& c) override {
    return Add(s_.cancels, id, c);
  }
  Status AddSwap(const std::string& id, const CandidateSwap& sw) override {
    return Add(s_.swaps, id, sw);
  }
  Status AddSignOff(const std::string& id, const SignOff& so) override {
    return Add(s_.signoffs, id, so);
  }
  Result<int64_t> AddDefect(const Defect& d) override {
    Defect x = d;
    x.id = static_cast<int64_t>(s_.defects.size()) + 1;
    s_.defects.push_back(x);
    return x.id;
  }
  Status ResolveDefect(int64_t id, const std::string& by, Instant at) override {
    for (auto& d : s_.defects) {
      if (d.id == id) {
        d.resolved_by = by;
        d.resolved_at = at;
      }
    }
    return {};
  }
  Result<std::optional<Defect>> FindDefect(int64_t id) override {
    for (const auto& d : s_.defects) {
      if (d.id == id) return std::optional<Defect>(d);
    }
    return std::optional<Defect>();
  }
  Status AddHealth(const std::string& id, const HealthRecord& h) override {
    return Add(s_.health, id, h);
  }
  Result<int64_t> AddDeployment(const Deployment& d) override {
    Deployment x = d;
    x.id = static_cast<int64_t>(s_.deployments.size()) + 1;
    s_.deployments.push_back(x);
    return x.id;
  }
  Status AddNote(const std::string& id, const ReleaseNote& n) override {
    return Add(s_.notes, id, n);
  }
  Result<std::vector<EvidenceImage>> LoadRun(const std::string& run_id) override {
    std::vector<EvidenceImage> out;
    for (const auto& e : s_.evidence) {
      if (e.run_id == run_id) out.push_back(e);
    }
    return out;
  }
  Status AddEvidence(const std::vector<EvidenceImage>& images) override {
    s_.evidence.insert(s_.evidence.end(), images.begin(), images.end());
    return {};
  }
  Status AddDevelopHead(const DevelopHead& h) override {
    s_.develop = h;
    return {};
  }
  Result<ReleaseFacts> LoadFacts(const std::string& release_id) override {
    auto r = FindRelease(release_id);
    if (!*r) return UsageError("unknown release '" + release_id + "'");
    ReleaseFacts f = Common();
    f.release = **r;
    f.opts = Of(s_.opts, release_id);
    f.overrides = Of(s_.overrides, release_id);
    f.cancels = Of(s_.cancels, release_id);
    f.swaps = Of(s_.swaps, release_id);
    f.signoffs = Of(s_.signoffs, release_id);
    f.health = Of(s_.health, release_id);
    f.notes = Of(s_.notes, release_id);
    f.registry_checks = Of(s_.registry_checks, release_id);
    for (const auto& d : s_.defects) {
      if (d.release_id == release_id) f.defects.push_back(d);
    }
    for (const auto& d : s_.deployments) {
      if (d.release_id == release_id) f.deployments.push_back(d);
    }
    return f;
  }
  Result<ReleaseFacts> LoadHistory() override {
    ReleaseFacts f = Common();
    f.deployments = s_.deployments;
    for (const auto& [id, so] : s_.signoffs) f.signoffs.push_back(so);
    return f;
  }
  Result<std::vector<Deployment>> LoadRunning() override {
    std::map<std::pair<std::string, std::string>, Deployment> latest;
    for (const auto& d : s_.deployments) latest[{d.service, d.env}] = d;  // in record order
    std::vector<Deployment> out;
    for (auto& [k, d] : latest) out.push_back(d);
    return out;
  }
  Result<std::vector<std::pair<std::string, Instant>>> LoadOldestSignatures() override {
    std::map<std::string, Instant> oldest;
    auto running = LoadRunning();
    for (const auto& d : *running) {
      if (!d.signed_at) continue;
      auto it = oldest.find(d.service);
      if (it == oldest.end() || *d.signed_at < it->second) oldest[d.service] = *d.signed_at;
    }
    return std::vector<std::pair<std::string, Instant>>(oldest.begin(), oldest.end());
  }
  Result<std::vector<EvidenceImage>> FindEvidence(const std::string& prefix) override {
    std::vector<EvidenceImage> out;
    for (const auto& e : s_.evidence) {
      if (e.commit.rfind(prefix, 0) == 0) out.push_back(e);
    }
    return out;
  }
  Result<bool> MarkDone(const std::string& id, const std::string& action, Instant) override {
    return s_.done.insert({id, action}).second;
  }
  Result<std::vector<std::string>> DoneActions(const std::string& id) override {
    std::vector<std::string> out;
    for (const auto& [r, a] : s_.done) {
      if (r == id) out.push_back(a);
    }
    return out;
  }
  Result<bool> TakeLease(const std::string& name, const std::string& holder, Instant now,
                         Instant until) override {
    auto it = s_.leases.find(name);
    if (it != s_.leases.end() && it->second.first != holder && it->second.second > now) {
      return false;
    }
    s_.leases[name] = {holder, until};
    return true;
  }
  Result<std::unique_ptr<StoreLock>> Lock(const std::string&, std::chrono::milliseconds) override {
    return std::make_unique<StoreLock>();
  }
  Status AddIntent(const DeployIntent& i) override {
    s_.intents.push_back(i);
    return {};
  }
  Status FinishIntent(const std::string& id, const std::string& state,
                      const std::string& gitops_commit, Instant) override {
    for (auto& i : s_.intents) {
      if (i.id == id) {
        i.state = state;
        i.gitops_commit = gitops_commit;
      }
    }
    return {};
  }
  Result<std::vector<DeployIntent>> PendingIntents() override {
    std::vector<DeployIntent> out;
    for (const auto& i : s_.intents) {
      if (i.state == "pending") out.push_back(i);
    }
    return out;
  }
  Result<std::optional<DeployIntent>> LastAbandonedIntent(const std::string& release_id,
                                                          const std::string& env) override {
    std::optional<DeployIntent> out;
    for (const auto& i : s_.intents) {
      if (i.release_id == release_id && i.env == env && i.state == "abandoned") out = i;
    }
    return out;
  }
  Status AddOncallSwap(const OncallSwap& x) override {
    s_.oncall_swaps.push_back(x);
    return {};
  }
  Result<std::vector<OncallSwap>> ListOncallSwaps() override { return s_.oncall_swaps; }
  Result<int64_t> AddScheduled(const ScheduledStep& x) override {
    s_.scheduled.push_back(x);
    s_.scheduled.back().id = static_cast<int64_t>(s_.scheduled.size());
    return s_.scheduled.back().id;
  }
  Result<std::vector<ScheduledStep>> ListScheduled(bool pending_only) override {
    std::vector<ScheduledStep> out;
    for (const auto& x : s_.scheduled) {
      if (!pending_only || x.state == "pending") out.push_back(x);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const ScheduledStep& a, const ScheduledStep& b) { return a.at < b.at; });
    return out;
  }
  Result<bool> FinishScheduled(int64_t id, const std::string& state, const std::string& detail,
                               Instant at) override {
    for (auto& x : s_.scheduled) {
      if (x.id != id || x.state != "pending") continue;
      x.state = state;
      x.detail = detail;
      x.finished_at = at;
      return true;
    }
    return false;
  }
  Result<int64_t> AddIncident(const Incident& i) override {
    Incident x = i;
    x.id = static_cast<int64_t>(s_.incidents.size()) + 1;
    s_.incidents.push_back(x);
    return x.id;
  }
  Result<std::vector<Incident>> ListIncidents() override { return s_.incidents; }
  Status AppendAudit(const AuditEntry& e) override {
    AuditEntry x = e;
    x.id = static_cast<int64_t>(s_.audit.size()) + 1;
    s_.audit.push_back(x);
    return {};
  }
  Status ForEachAudit(const AuditQuery& q,
                      const std::function<Status(const AuditEntry&)>& each) override {
    int64_t n = 0;
    for (const auto& e : s_.audit) {
      if (!q.release_id.empty() && e.release_id != q.release_id) continue;
      if (q.since && e.at < *q.since) continue;
      if (!q.actor.empty() && e.actor != q.actor) continue;
      if (!q.action.empty() && e.action != q.action &&
          !(q.action.back() == '.' && e.action.rfind(q.action, 0) == 0)) {
        continue;
      }
      if (q.limit > 0 && n++ >= q.limit) break;
      if (Status st = each(e); !st) return st;
    }
    return {};
  }
  Result<std::optional<Instant>> LatestAuditAt() override {
    std::optional<Instant> at;
    for (const auto& e : s_.audit) {
      if (!at || e.at > *at) at = e.at;
    }
    return at;
  }
  Result<int64_t> LastAuditId() override { return static_cast<int64_t>(s_.audit.size()); }
  Result<std::vector<AuditEntry>> ListAudit(const std::string& release_id) override {
    std::vector<AuditEntry> out;
    for (const auto& e : s_.audit) {
      if (release_id.empty() || e.release_id == release_id) out.push_back(e);
    }
    return out;
  }
  Status QueueMessage(const OutboxMessage& m) override {
    s_.outbox.push_back(m);
    s_.outbox.back().id = static_cast<int64_t>(s_.outbox.size());
    return {};
  }
  Result<std::vector<OutboxMessage>> PendingMessages(int limit) override {
    std::vector<OutboxMessage> out;
    for (const auto& m : s_.outbox) {
      if (m.state == "pending" && static_cast<int>(out.size()) < limit) out.push_back(m);
    }
    return out;
  }
  Result<bool> MarkAttempt(int64_t id, int attempts, Instant next_at) override {
    OutboxMessage& m = s_.outbox.at(static_cast<size_t>(id - 1));
    if (m.attempts != attempts - 1 || m.state != "pending") return false;
    m.attempts = attempts;
    m.next_at = next_at;
    m.error.clear();
    return true;
  }
  Status MarkSent(int64_t id, const std::string& ts, Instant at) override {
    OutboxMessage& m = s_.outbox.at(static_cast<size_t>(id - 1));
    m.state = "sent";
    m.sent_at = at;
    m.slack_ts = ts;
    return {};
  }
  Status MarkRetry(int64_t id, Instant next_at, const std::string& error) override {
    OutboxMessage& m = s_.outbox.at(static_cast<size_t>(id - 1));
    m.next_at = next_at;
    m.error = error;
    return {};
  }
  Status MarkFailed(int64_t id, const std::string& error) override {
    OutboxMessage& m = s_.outbox.at(static_cast<size_t>(id - 1));
    m.state = "failed";
    m.error = error;
    return {};
  }
  Result<bool> RetryMessage(int64_t id) override {
    OutboxMessage& m = s_.outbox.at(static_cast<size_t>(id - 1));
    if (m.state != "failed") return false;
    m.state = "pending";
    m.attempts = 0;
    return true;
  }
  Result<int64_t> CountMessages(const std::string& state) override {
    int64_t n = 0;
    for (const auto& m : s_.outbox) n += m.state == state;
    return n;
  }
  Result<std::optional<OutboxMessage>> FindMessage(const std::string& key) override {
    for (auto it = s_.outbox.rbegin(); it != s_.outbox.rend(); ++it) {
      if (it->key == key && it->update_key.empty()) return std::optional<OutboxMessage>(*it);
    }
    return std::optional<OutboxMessage>();
  }
  Status AddRegistryCheck(const std::string& id, const RegistryCheck& c) override {
    return Add(s_.registry_checks, id, c);
  }
  Result<int64_t> AddArgoEvent(const ArgoEvent& e) override {
    s_.argo.push_back(e);
    s_.argo.back().id = static_cast<int64_t>(s_.argo.size());
    return s_.argo.back().id;
  }
  Result<int64_t> CountArgoEvents() override { return static_cast<int64_t>(s_.argo.size()); }
  Result<std::vector<ArgoEvent>> LatestArgoEvents() override {
    std::map<std::string, ArgoEvent> latest;
    for (const auto& e : s_.argo) latest[e.app] = e;
    std::vector<ArgoEvent> out;
    for (const auto& [app, e] : latest) out.push_back(e);
    return out;
  }
  Result<std::string> ReleaseRunning(const std::string& service, const std::string& env) override {
    std::string out;
    for (const auto& d : s_.deployments) {
      if (d.service == service && d.env == env) out = d.release_id;
    }
    return out;
  }
  Result<int64_t> AddWatch(const StepWatch& w) override {
    s_.watches.push_back(w);
    s_.watches.back().id = static_cast<int64_t>(s_.watches.size());
    return s_.watches.back().id;
  }
  Result<std::vector<StepWatch>> OpenWatches(const std::string& env) override {
    std::vector<StepWatch> out;
    for (const auto& w : s_.watches) {
      if (w.state == "watching" && (env.empty() || w.env == env)) out.push_back(w);
    }
    return out;
  }
  Result<std::vector<StepWatch>> ListWatches(const std::string& release_id) override {
    std::vector<StepWatch> out;
    for (const auto& w : s_.watches) {
      if (w.release_id == release_id) out.push_back(w);
    }
    return out;
  }
  Status UpdateWatch(const StepWatch& w) override {
    s_.watches.at(static_cast<size_t>(w.id - 1)) = w;
    return {};
  }
  Result<int64_t> JournalApplied(const std::string& name) override {
    auto it = s_.journals.find(name);
    return it == s_.journals.end() ? int64_t{0} : it->second;
  }
  Status SetJournalApplied(const std::string& name, int64_t seq) override {
    s_.journals[name] = seq;
    return {};
  }
  Status SetChannelId(const std::string& name, const std::string& id) override {
    s_.channel_ids[name] = id;
    return {};
  }
  Result<std::string> ChannelId(const std::string& name) override {
    auto it = s_.channel_ids.find(name);
    return it == s_.channel_ids.end() ? std::string() : it->second;
  }
  Result<std::vector<OutboxMessage>> ListOutbox(bool unsent_only) override {
    std::vector<OutboxMessage> out;
    for (const auto& m : s_.outbox) {
      if (!unsent_only || !m.sent_at) out.push_back(m);
    }
    return out;
  }

 private:
  template <typename T>
  using ByRelease = std::vector<std::pair<std::string, T>>;
  struct State {
    std::vector<Release> releases;
    ByRelease<OptRecord> opts;
    ByRelease<GateOverride> overrides;
    ByRelease<ServiceCancel> cancels;
    ByRelease<CandidateSwap> swaps;
    ByRelease<SignOff> signoffs;
    ByRelease<HealthRecord> health;
    ByRelease<ReleaseNote> notes;
    ByRelease<RegistryCheck> registry_checks;
    std::vector<Defect> defects;
    std::vector<Deployment> deployments;
    std::vector<EvidenceImage> evidence;
    std::optional<DevelopHead> develop;
    std::set<std::pair<std::string, std::string>> done;
    std::map<std::string, std::pair<std::string, Instant>> leases;  // name: holder, until
    std::vector<DeployIntent> intents;
    std::vector<Incident> incidents;
    std::vector<ScheduledStep> scheduled;
    std::vector<OncallSwap> oncall_swaps;
    std::map<std::string, std::string> channel_ids;
    std::vector<AuditEntry> audit;
    std::vector<OutboxMessage> outbox;
    std::vector<ArgoEvent> argo;
    std::vector<StepWatch> watches;
    std::map<std::string, int64_t> journals;
  };
  template <typename T>
  static Status Add(ByRelease<T>& list, const std::string& id, const T& x) {
    list.push_back({id, x});
    return {};
  }
  template <typename T>
  static std::vector<T> Of(const ByRelease<T>& list, const std::string& id) {
    std::vector<T> out;
    for (const auto& [r, x] : list) {
      if (r == id) out.push_back(x);
    }
    return out;
  }
  ReleaseFacts Common() const {
    ReleaseFacts f;
    f.develop = s_.develop;
    f.evidence = s_.evidence;
    std::stable_sort(f.evidence.begin(), f.evidence.end(),
                     [](const EvidenceImage& a, const EvidenceImage& b) {
                       return a.finished_at > b.finished_at;
                     });
    return f;
  }

  State s_;
  bool in_tx_ = false;
};

// A GitOps repository in memory: files by path, commits with their trailers, and a switch to
// make the next push fail after it landed (as a crash or a lost connection would look).
class MemoryRepo : public GitopsRepo {
 public:
  struct Commit {
    std::string id;
    std::map<std::string, std::string> files;
    std::vector<Trailer> trailers;
    std::string subject;
  };
  explicit MemoryRepo(std::map<std::string, std::string> files) {
    commits_.push_back({"c0", std::move(files), {}, "seed"});
  }
  Status Sync() override { return {}; }
  Result<std::string> ReadFile(const std::string& path) override {
    auto it = commits_.back().files.find(path);
    if (it == commits_.back().files.end()) return OtherError(path + " does not exist");
    return it->second;
  }
  Result<PushResult> CommitAndPush(const EditFn& make_edits, const CommitSpec& spec) override {
    auto edits = make_edits(*this);
    if (!edits) return edits.error();
    Commit next = commits_.back();
    bool changed = false;
    for (const auto& e : *edits) {
      changed = changed || next.files[e.path] != e.new_contents;
      next.files[e.path] = e.new_contents;
    }
    if (!changed) return PushResult{"", 1, true};
    next.id = "c" + std::to_string(commits_.size());
    next.trailers = spec.trailers;
    next.subject = spec.subject;
    commits_.push_back(next);
    return PushResult{next.id, 1, false};
  }
  Result<std::optional<std::string>> FindCommitWithTrailers(
      const std::vector<Trailer>& trailers) override {
    for (auto it = commits_.rbegin(); it != commits_.rend(); ++it) {
      bool all = std::all_of(trailers.begin(), trailers.end(), [&](const Trailer& t) {
        return std::find(it->trailers.begin(), it->trailers.end(), t) != it->trailers.end();
      });
      if (all) return std::optional<std::string>(it->id);
    }
    return std::optional<std::string>();
  }
  Result<std::optional<std::string>> ReadFileAt(const std::string& commit,
                                                const std::string& path) override {
    std::string id = commit;
    bool parent = id.size() > 1 && id.back() == '^';
    if (parent) id.pop_back();
    for (size_t i = 0; i < commits_.size(); ++i) {
      if (commits_[i].id != id) continue;
      if (parent && i == 0) return std::optional<std::string>();
      const auto& files = commits_[parent ? i - 1 : i].files;
      auto f = files.find(path);
      return f == files.end() ? std::optional<std::string>() : std::optional(f->second);
    }
    return OtherError("unknown commit " + commit);
  }
  Result<std::string> HeadCommit() override { return commits_.back().id; }
  Result<std::vector<std::string>> History(int depth) override {
    std::vector<std::string> out;
    for (auto it = commits_.rbegin(); it != commits_.rend() && depth-- > 0; ++it) {
      out.push_back(it->id);
    }
    return out;
  }
  const std::vector<Commit>& commits() const { return commits_; }

 private:
  std::vector<Commit> commits_;
};

}  // namespace captain::testing
