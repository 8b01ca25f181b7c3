// The store's suite, run against both engines: SQLite (a temporary file) and PostgreSQL (a
// fresh database on the test server). Every behaviour the rules rely on is checked on each.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "store/sql_store.h"
#include "testing/pg_server.h"

namespace captain {
namespace {

Instant T(int64_t s) { return Instant{std::chrono::seconds{1796000000 + s}}; }

class StoreSuite : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      target_ = testing::PgServer::Get().NewDatabase();
    } else {
      static std::atomic<int> n{0};
      target_ =
          (std::filesystem::temp_directory_path() /
           ("captain-store-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".db"))
              .string();
      std::filesystem::remove(target_);
    }
    store_ = Open(/*create=*/true);
    ASSERT_TRUE(store_);
  }
  void TearDown() override {
    store_.reset();
    if (GetParam() == "sqlite") {
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(target_ + suffix);
    }
  }
  std::unique_ptr<Store> Open(bool create = false) {
    auto s = OpenStore(target_, create);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().Text());
    return s.ok() ? std::move(*s) : nullptr;
  }
  Release NewRelease(const std::string& id) {
    Release r;
    r.id = id;
    r.release_day = *ParseDate(id);
    r.candidate_commit = std::string(40, 'a');
    r.created_by = "vro-captain";
    r.created_at = T(0);
    EXPECT_TRUE(store_->InsertRelease(r).ok());
    return r;
  }

  std::string target_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreSuite, ReleasesRoundTripAndOpenOnesAreListed) {
  Release a = NewRelease("2026-12-01");
  Release b = NewRelease("2026-12-15");
  b.state = ReleaseState::kSignedOff;
  b.requested_services = {"svc-a", "svc-b"};
  b.changelog = "fix: it's \"quoted\" ? and ; too";
  b.scheduled_at = T(50);
  b.approved = true;
  ASSERT_TRUE(store_->UpdateRelease(b).ok());
  auto found = store_->FindRelease("2026-12-15");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->requested_services, (std::vector<std::string>{"svc-a", "svc-b"}));
  EXPECT_EQ((*found)->changelog, b.changelog);
  EXPECT_EQ((*found)->scheduled_at, T(50));
  EXPECT_TRUE((*found)->approved);
  EXPECT_EQ((*found)->state, ReleaseState::kSignedOff);
  auto open = store_->ListOpenReleases();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().id, a.id);
  EXPECT_EQ(store_->ListReleases()->size(), 2u);
  EXPECT_FALSE(store_->FindRelease("2027-01-01")->has_value());
  EXPECT_FALSE(store_->InsertRelease(a).ok()) << "a release id is unique";
}

TEST_P(StoreSuite, FactsOfAReleaseComeBackWhole) {
  Release r = NewRelease("2026-12-01");
  ASSERT_TRUE(store_->AddOpt(r.id, {"team-a", "", OptAnswer::kIn, "alice", T(1), ""}).ok());
  ASSERT_TRUE(store_->AddOpt(r.id, {"team-b", "svc-b", OptAnswer::kOut, "bob", T(2), "late"}).ok());
  ASSERT_TRUE(store_->AddOverride(r.id, {"svc-a", "known CVE", "cap", T(3)}).ok());
  ASSERT_TRUE(store_->AddCancel(r.id, {"svc-c", "broken", "cap", T(4)}).ok());
  ASSERT_TRUE(store_->AddSwap(r.id, {"svc-a", std::string(40, 'b'), "cap", T(5)}).ok());
  ASSERT_TRUE(store_->AddSignOff(r.id, {"team-a", "qa", "alice", T(6)}).ok());
  Defect d;
  d.release_id = r.id;
  d.service = "svc-a";
  d.title = "crash";
  d.opened_by = "qa";
  d.opened_at = T(7);
  auto id = store_->AddDefect(d);
  ASSERT_TRUE(id.ok());
  auto id2 = store_->AddDefect(d);
  ASSERT_TRUE(id2.ok());
  EXPECT_GT(*id2, *id);
  ASSERT_TRUE(store_->ResolveDefect(*id, "dev", T(8)).ok());
  ASSERT_TRUE(store_->AddHealth(r.id, {"qa", "svc-a", false, T(9)}).ok());
  ASSERT_TRUE(store_->AddNote(r.id, {"feature", "new thing", "alice", T(10)}).ok());
  RegistryCheck c;
  c.service = "svc-a";
  c.ref = "ghcr.io/x/svc-a:aaaaaaa";
  c.digest = "sha256:" + std::string(64, '1');
  c.verdict = "ok";
  c.checked_at = T(11);
  c.signed_at = T(-5);
  ASSERT_TRUE(store_->AddRegistryCheck(r.id, c).ok());
  auto f = store_->LoadFacts(r.id);
  ASSERT_TRUE(f.ok()) << f.error().Text();
  ASSERT_EQ(f->opts.size(), 2u);
  EXPECT_EQ(f->opts[1].answer, OptAnswer::kOut);
  EXPECT_EQ(f->opts[1].late_reason, "late");
  ASSERT_EQ(f->overrides.size(), 1u);
  EXPECT_EQ(f->overrides[0].kind, kOverrideGate);
  EXPECT_EQ(f->cancels.size(), 1u);
  ASSERT_EQ(f->swaps.size(), 1u);
  EXPECT_EQ(f->swaps[0].commit, std::string(40, 'b'));
  EXPECT_EQ(f->signoffs.size(), 1u);
  ASSERT_EQ(f->defects.size(), 2u);
  EXPECT_EQ(f->defects[0].resolved_by, "dev");
  EXPECT_EQ(f->defects[0].resolved_at, T(8));
  EXPECT_FALSE(f->defects[1].resolved_at);
  ASSERT_EQ(f->health.size(), 1u);
  EXPECT_FALSE(f->health[0].healthy);
  EXPECT_EQ(f->notes.size(), 1u);
  ASSERT_EQ(f->registry_checks.size(), 1u);
  EXPECT_EQ(f->registry_checks[0].signed_at, T(-5));
  auto unknown = store_->LoadFacts("2031-01-01");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ExitCode::kUsage);
}

TEST_P(StoreSuite, EvidenceIsFoundByCommitPrefixAndRun) {
  std::string c1 = "4f2a9c1" + std::string(33, '0'), c2 = "4f2b000" + std::string(33, '0');
  std::vector<EvidenceImage> run1, run2;
  for (const char* svc : {"svc-a", "svc-b"}) {
    run1.push_back({"run-1", c1, "develop", T(1), svc, std::string("r/") + svc + ":4f2a9c1",
                    "sha256:1", ScanResult::kPassed, true, T(0)});
  }
  run2.push_back({"run-2", c2, "develop", T(2), "svc-a", "r/svc-a:4f2b000", "sha256:2",
                  ScanResult::kVulnerable, false, std::nullopt});
  ASSERT_TRUE(store_->AddEvidence(run1).ok());
  ASSERT_TRUE(store_->AddEvidence(run2).ok());
  EXPECT_EQ(store_->LoadRun("run-1")->size(), 2u);
  EXPECT_EQ(store_->FindEvidence("4f2a")->size(), 2u);
  EXPECT_EQ(store_->FindEvidence("4f2")->size(), 3u);
  EXPECT_TRUE(store_->FindEvidence("4f3")->empty());
  auto two = store_->LoadRun("run-2");
  ASSERT_EQ(two->size(), 1u);
  EXPECT_EQ(two->front().scan, ScanResult::kVulnerable);
  EXPECT_FALSE(two->front().signed_at);
  ASSERT_TRUE(store_->AddDevelopHead({c1, T(1)}).ok());
  ASSERT_TRUE(store_->AddDevelopHead({c2, T(3)}).ok());
  Release r = NewRelease("2026-12-01");
  auto f = store_->LoadFacts(r.id);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->develop);
  EXPECT_EQ(f->develop->commit, c2);
  auto h = store_->LoadHistory();
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->evidence.size(), 3u);
  EXPECT_EQ(h->evidence.front().run_id, "run-2") << "newest run first";
}

TEST_P(StoreSuite, WhatRunsWhereIsTheLatestDeployment) {
  Release r = NewRelease("2026-12-01");
  auto deploy = [&](const std::string& svc, const std::string& tag, int64_t at, int64_t signed_at) {
    Deployment d;
    d.release_id = r.id;
    d.env = "prod";
    d.service = svc;
    d.commit = tag;
    d.old_tag = "old";
    d.new_tag = tag;
    d.signed_at = T(signed_at);
    d.gitops_commit = "g" + tag;
    d.by = "cap";
    d.at = T(at);
    return store_->AddDeployment(d);
  };
  auto first = deploy("svc-a", "aaa", 10, 1);
  auto second = deploy("svc-a", "bbb", 20, 15);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_GT(*second, *first);
  ASSERT_TRUE(deploy("svc-a", "late-record", 5, 0).ok()) << "recorded late, happened earlier";
  ASSERT_TRUE(deploy("svc-b", "ccc", 30, 7).ok());
  auto running = store_->LoadRunning();
  ASSERT_TRUE(running.ok());
  std::map<std::string, std::string> tags;
  for (const auto& d : *running) tags[d.service] = d.new_tag;
  EXPECT_EQ(tags["svc-a"], "bbb");
  EXPECT_EQ(tags["svc-b"], "ccc");
  auto oldest = store_->LoadOldestSignatures();
  ASSERT_TRUE(oldest.ok());
  std::map<std::string, Instant> ages(oldest->begin(), oldest->end());
  EXPECT_EQ(ages["svc-a"], T(15));
  EXPECT_EQ(ages["svc-b"], T(7));
  EXPECT_EQ(*store_->ReleaseRunning("svc-a", "prod"), r.id);
  EXPECT_EQ(*store_->ReleaseRunning("svc-a", "qa"), "");
}

TEST_P(StoreSuite, AMilestoneIsMarkedDoneOnce) {
  Release r = NewRelease("2026-12-01");
  EXPECT_TRUE(*store_->MarkDone(r.id, "announce", T(1)));
  EXPECT_FALSE(*store_->MarkDone(r.id, "announce", T(2)));
  EXPECT_TRUE(*store_->MarkDone(r.id, "close-opt-window", T(3)));
  auto done = store_->DoneActions(r.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(std::set<std::string>(done->begin(), done->end()),
            (std::set<std::string>{"announce", "close-opt-window"}));
}

TEST_P(StoreSuite, ALeaseHasOneHolderUntilItExpires) {
  EXPECT_TRUE(*store_->TakeLease("scheduler", "a", T(0), T(10)));
  EXPECT_FALSE(*store_->TakeLease("scheduler", "b", T(5), T(15)));
  EXPECT_TRUE(*store_->TakeLease("scheduler", "a", T(6), T(16))) << "the holder renews";
  EXPECT_FALSE(*store_->TakeLease("scheduler", "b", T(15), T(25)));
  EXPECT_TRUE(*store_->TakeLease("scheduler", "b", T(16), T(26))) << "expired: taken over";
  EXPECT_TRUE(*store_->TakeLease("sender", "a", T(16), T(26))) << "leases are by name";
}

TEST_P(StoreSuite, IntentsAndScheduledStepsFinishOnce) {
  Release r = NewRelease("2026-12-01");
  DeployIntent i;
  i.id = "intent-1";
  i.release_id = r.id;
  i.env = "dev";
  i.step = "lower";
  i.changes = "[]";
  i.by = "cap";
  i.created_at = T(1);
  ASSERT_TRUE(store_->AddIntent(i).ok());
  EXPECT_EQ(store_->PendingIntents()->size(), 1u);
  ASSERT_TRUE(store_->FinishIntent(i.id, "abandoned", "", T(2)).ok());
  EXPECT_TRUE(store_->PendingIntents()->empty());
  auto last = store_->LastAbandonedIntent(r.id, "dev");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->id, "intent-1");
  ScheduledStep s;
  s.release_id = r.id;
  s.step = "prod";
  s.at = T(100);
  s.by = "cap";
  s.created_at = T(3);
  s.holds = {"svc-x"};
  auto sid = store_->AddScheduled(s);
  ASSERT_TRUE(sid.ok());
  EXPECT_EQ(store_->ListScheduled(true)->size(), 1u);
  EXPECT_TRUE(*store_->FinishScheduled(*sid, "done", "ok", T(101)));
  EXPECT_FALSE(*store_->FinishScheduled(*sid, "failed", "again", T(102)));
  EXPECT_TRUE(store_->ListScheduled(true)->empty());
  auto all = store_->ListScheduled(false);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().holds, (std::vector<std::string>{"svc-x"}));
  EXPECT_EQ(all->front().state, "done");
}

TEST_P(StoreSuite, TheAuditLogIsAppendOnlyAndFiltered) {
  AuditEntry e;
  e.at = T(1);
  e.actor = "alice";
  e.action = "deploy.start";
  e.release_id = "r1";
  ASSERT_TRUE(store_->AppendAudit(e).ok());
  e.action = "deploy.recovered";
  e.at = T(2);
  e.recorded_at = T(100);
  ASSERT_TRUE(store_->AppendAudit(e).ok());
  e.action = "deployx";
  e.actor = "bob";
  e.at = T(3);
  e.recorded_at.reset();
  ASSERT_TRUE(store_->AppendAudit(e).ok());
  e.action = "opt.in";
  e.release_id = "r2";
  ASSERT_TRUE(store_->AppendAudit(e).ok());
  auto count = [&](AuditQuery q) {
    int n = 0;
    EXPECT_TRUE(store_
                    ->ForEachAudit(q,
                                   [&](const AuditEntry&) -> Status {
                                     ++n;
                                     return {};
                                   })
                    .ok());
    return n;
  };
  EXPECT_EQ(count({}), 4);
  EXPECT_EQ(count({"", std::nullopt, "", "deploy.", 0}), 2) << "a prefix, not deployx";
  EXPECT_EQ(count({"r1", std::nullopt, "", "", 0}), 3);
  EXPECT_EQ(count({"", T(2), "", "", 0}), 3);
  EXPECT_EQ(count({"", std::nullopt, "bob", "", 1}), 1);
  EXPECT_EQ(*store_->LastAuditId(), store_->ListAudit("")->back().id);
  EXPECT_EQ(store_->ListAudit("r1")->at(1).recorded_at, T(100));
  EXPECT_EQ(**store_->LatestAuditAt(), T(3));
  auto* sql_store = dynamic_cast<SqlStore*>(store_.get());
  ASSERT_NE(sql_store, nullptr);
  EXPECT_THROW(sql_store->database().Exec("UPDATE audit SET actor = 'mallory'"), std::exception);
  EXPECT_THROW(sql_store->database().Exec("DELETE FROM audit"), std::exception);
  EXPECT_EQ(store_->ListAudit("")->size(), 4u);
}

TEST_P(StoreSuite, TheOutboxKeepsEachMessagesDelivery) {
  OutboxMessage m;
  m.created_at = T(1);
  m.channel = "#team-a";
  m.text = "hello";
  m.key = "announce:r1";
  ASSERT_TRUE(store_->QueueMessage(m).ok());
  m.text = "update";
  m.update_key = "announce:r1";
  ASSERT_TRUE(store_->QueueMessage(m).ok());
  auto pending = store_->PendingMessages(10);
  ASSERT_EQ(pending->size(), 2u);
  int64_t id = pending->front().id;
  EXPECT_TRUE(*store_->MarkAttempt(id, 1, T(5)));
  EXPECT_FALSE(*store_->MarkAttempt(id, 1, T(5))) << "another sender counted it first";
  ASSERT_TRUE(store_->MarkSent(id, "1700.01", T(2)).ok());
  int64_t other = pending->back().id;
  ASSERT_TRUE(store_->MarkRetry(other, T(9), "rate limited").ok());
  ASSERT_TRUE(store_->MarkFailed(other, "channel_not_found").ok());
  EXPECT_EQ(*store_->CountMessages("sent"), 1);
  EXPECT_EQ(*store_->CountMessages("failed"), 1);
  auto found = store_->FindMessage("announce:r1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->slack_ts, "1700.01") << "the post, not its update";
  EXPECT_TRUE(*store_->RetryMessage(other));
  EXPECT_FALSE(*store_->RetryMessage(other)) << "only a failed message is retried";
  EXPECT_EQ(store_->ListOutbox(true)->size(), 1u);
  ASSERT_TRUE(store_->SetChannelId("#team-a", "C1").ok());
  ASSERT_TRUE(store_->SetChannelId("#team-a", "C2").ok());
  EXPECT_EQ(*store_->ChannelId("#team-a"), "C2");
  EXPECT_EQ(*store_->ChannelId("#nope"), "");
}

TEST_P(StoreSuite, ArgoEventsWatchesAndJournals) {
  for (int i = 0; i < 3; ++i) {
    ArgoEvent e;
    e.received_at = T(i);
    e.app = i == 2 ? "svc-b-dev" : "svc-a-dev";
    e.service = i == 2 ? "svc-b" : "svc-a";
    e.env = "dev";
    e.event = "deployed";
    e.health = i == 1 ? "Healthy" : "Progressing";
    ASSERT_TRUE(store_->AddArgoEvent(e).ok());
  }
  EXPECT_EQ(*store_->CountArgoEvents(), 3);
  auto latest = store_->LatestArgoEvents();
  ASSERT_EQ(latest->size(), 2u);
  EXPECT_EQ(latest->front().health, "Healthy");
  StepWatch w;
  w.release_id = "r1";
  w.step = "lower";
  w.env = "dev";
  w.services = {"svc-a", "svc-b"};
  w.apps = "{}";
  w.started_at = T(1);
  auto wid = store_->AddWatch(w);
  ASSERT_TRUE(wid.ok());
  w.id = *wid;
  EXPECT_EQ(store_->OpenWatches("dev")->size(), 1u);
  EXPECT_TRUE(store_->OpenWatches("qa")->empty());
  w.state = "verified";
  w.finished_at = T(9);
  ASSERT_TRUE(store_->UpdateWatch(w).ok());
  EXPECT_TRUE(store_->OpenWatches("")->empty());
  EXPECT_EQ(store_->ListWatches("r1")->front().state, "verified");
  EXPECT_EQ(*store_->JournalApplied("host-1"), 0);
  ASSERT_TRUE(store_->SetJournalApplied("host-1", 7).ok());
  ASSERT_TRUE(store_->SetJournalApplied("host-1", 9).ok());
  EXPECT_EQ(*store_->JournalApplied("host-1"), 9);
}

TEST_P(StoreSuite, OncallSwapsAndIncidents) {
  Release r = NewRelease("2026-12-01");
  ASSERT_TRUE(
      store_->AddOncallSwap({*ParseDate("2026-12-01"), "primary", "carol", "sick", "cap", T(1)})
          .ok());
  EXPECT_EQ(store_->ListOncallSwaps()->front().engineer, "carol");
  Incident i;
  i.release_id = r.id;
  i.env = "prod";
  i.title = "rollback";
  i.blocker = true;
  i.services = {"svc-a"};
  i.opened_at = T(2);
  auto id = store_->AddIncident(i);
  ASSERT_TRUE(id.ok());
  auto list = store_->ListIncidents();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().id, *id);
  EXPECT_TRUE(list->front().blocker);
  EXPECT_EQ(list->front().services, (std::vector<std::string>{"svc-a"}));
}

// The audit entry, the outbox row and the change land together or not at all.
TEST_P(StoreSuite, ATransactionLandsWholeOrNotAtAll) {
  Release r = NewRelease("2026-12-01");
  auto change = [&](bool fail) {
    return store_->Transaction([&]() -> Status {
      Release changed = r;
      changed.state = ReleaseState::kOptClosed;
      if (auto s = store_->UpdateRelease(changed); !s) return s;
      if (auto s = store_->AppendAudit({0, T(1), "cap", "release.close", r.id}); !s) return s;
      if (auto s = store_->QueueMessage({0, T(1), "#c", "closed", r.id}); !s) return s;
      if (fail) return OtherError("refused");
      return {};
    });
  };
  EXPECT_FALSE(change(true).ok());
  EXPECT_EQ((*store_->FindRelease(r.id))->state, ReleaseState::kCollecting);
  EXPECT_TRUE(store_->ListAudit("")->empty());
  EXPECT_TRUE(store_->ListOutbox(false)->empty());
  EXPECT_TRUE(change(false).ok());
  EXPECT_EQ((*store_->FindRelease(r.id))->state, ReleaseState::kOptClosed);
  EXPECT_EQ(store_->ListAudit("")->size(), 1u);
  EXPECT_EQ(store_->ListOutbox(false)->size(), 1u);
}

// Read-then-write transactions from several connections at once: each sees the others' writes,
// so the numbers they derive are all different (one writer at a time; retried on conflict).
TEST_P(StoreSuite, ConcurrentReadThenWriteTransactionsDoNotInterleave) {
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto s = OpenStore(target_);
      if (!s) {
        ++failures;
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        Status st = (*s)->Transaction([&]() -> Status {
          auto n = (*s)->CountMessages("pending");
          if (!n) return n.error();
          return (*s)->QueueMessage({0, T(1), "#c", std::to_string(*n)});
        });
        if (!st) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto all = store_->ListOutbox(false);
  ASSERT_TRUE(all.ok());
  std::set<std::string> texts;
  for (const auto& m : *all) texts.insert(m.text);
  EXPECT_EQ(all->size(), size_t(kThreads * kEach));
  EXPECT_EQ(texts.size(), size_t(kThreads * kEach)) << "two transactions read the same count";
}

TEST_P(StoreSuite, ManyProcessesMayOpenAFreshDatabaseAtOnce) {
  std::string fresh =
      GetParam() == "postgresql" ? testing::PgServer::Get().NewDatabase() : target_ + ".fresh";
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto s = OpenStore(fresh, /*create=*/true);
      if (s && (*s)->ListReleases().ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
  auto again = OpenStore(fresh);
  EXPECT_TRUE(again.ok());
  if (GetParam() == "sqlite") {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(fresh + suffix);
  }
}

TEST_P(StoreSuite, ADatabaseWithoutTheSchemaIsRefusedUnlessCreating) {
  std::string fresh =
      GetParam() == "postgresql" ? testing::PgServer::Get().NewDatabase() : target_ + ".none";
  if (GetParam() == "sqlite") std::ofstream(fresh) << "";
  auto s = OpenStore(fresh);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ExitCode::kUsage) << s.error().Text();
  std::filesystem::remove(fresh);
}

TEST_P(StoreSuite, TheGitopsLockIsOneHoldersOnPostgres) {
  auto other = Open();
  ASSERT_TRUE(other);
  auto held = store_->Lock("gitops", std::chrono::milliseconds(0));
  ASSERT_TRUE(held.ok());
  auto second = other->Lock("gitops", std::chrono::milliseconds(300));
  // SQLite lives on one host, where the work directory's file lock serializes deploys.
  EXPECT_EQ(second.ok(), GetParam() == "sqlite");
  held->reset();
  EXPECT_TRUE(other->Lock("gitops", std::chrono::milliseconds(2000)).ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreSuite, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace captain

namespace captain {
namespace {

// A transaction on PostgreSQL that counts the outbox and queues a message saying the count;
// on its first run another client, through `other_writes`, reads the outbox and adds to it
// (write skew). Returns how many times the transaction ran, and checks it landed once, after
// the other write.
int RunAgainstAConflict(const std::function<void(sql::Database&)>& other_writes) {
  std::string url = testing::PgServer::Get().NewDatabase();
  auto store = OpenStore(url, /*create=*/true);
  EXPECT_TRUE(store.ok()) << store.error().Text();
  if (!store.ok()) return 0;
  sql::PgDatabase other(url);
  int runs = 0;
  Status st = (*store)->Transaction([&]() -> Status {
    ++runs;
    auto n = (*store)->CountMessages("pending");
    if (!n) return n.error();
    if (runs == 1) other_writes(other);
    return (*store)->QueueMessage({0, T(1), "#c", "after " + std::to_string(*n)});
  });
  EXPECT_TRUE(st.ok()) << st.error().Text();
  auto all = (*store)->ListOutbox(false);
  std::vector<std::string> texts;
  for (const auto& m : *all) texts.push_back(m.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"concurrent", "after 1"}));
  return runs;
}

// A serialization conflict with a write made outside captain's write lock (another client of
// the database, in a transaction) fails the transaction; it runs again and lands once.
TEST(PostgresStore, ATransactionThatLosesASerializationConflictRunsAgain) {
  int runs = RunAgainstAConflict([](sql::Database& other) {
    other.Exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
    other.Exec("SELECT count(*) FROM outbox");
    other.Exec("INSERT INTO outbox (created_at, channel, text) VALUES (1, '#other', 'concurrent')");
    other.Exec("COMMIT");
  });
  EXPECT_EQ(runs, 2) << "the first run should have lost the conflict";
}

// The same conflict, the other side a single statement outside any transaction (every
// statement runs SERIALIZABLE, so PostgreSQL sees the cycle).
TEST(PostgresStore, AConflictWithASingleStatementIsCaughtToo) {
  int runs = RunAgainstAConflict([](sql::Database& other) {
    other.Exec(
        "INSERT INTO outbox (created_at, channel, text) SELECT 1, '#other', 'concurrent' "
        "WHERE (SELECT count(*) FROM outbox) = 0");
  });
  EXPECT_EQ(runs, 2) << "the first run should have lost the conflict";
}

// A connection the server dropped is opened again for the next statement.
TEST(PostgresStore, ADroppedConnectionIsOpenedAgain) {
  std::string url = testing::PgServer::Get().NewDatabase();
  auto store = OpenStore(url, /*create=*/true);
  ASSERT_TRUE(store.ok()) << store.error().Text();
  ASSERT_TRUE((*store)->ListReleases().ok());
  sql::PgDatabase admin(url);
  admin.Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
      "current_database() AND pid <> pg_backend_pid()");
  (void)(*store)->ListReleases();  // may fail: it is the one that finds the connection closed
  auto again = (*store)->ListReleases();
  EXPECT_TRUE(again.ok()) << again.error().Text();
  auto lease = (*store)->TakeLease("scheduler", "a", T(0), T(10));
  ASSERT_TRUE(lease.ok()) << lease.error().Text();
  EXPECT_TRUE(*lease);
}

TEST(PostgresStore, PasswordsNeverReachMessages) {
  EXPECT_EQ(sql::RedactUrl("postgresql://captain:s3cret@db:5432/captain"),
            "postgresql://captain:***@db:5432/captain");
  EXPECT_EQ(sql::RedactUrl("postgresql://db/captain?user=captain&password=s3cret&sslmode=require"),
            "postgresql://db/captain?user=captain&password=***&sslmode=require");
  EXPECT_EQ(sql::RedactUrl("postgresql://db/captain?password=s3cret"),
            "postgresql://db/captain?password=***");
  EXPECT_EQ(sql::RedactUrl("postgresql://captain@/captain?host=/tmp/pg"),
            "postgresql://captain@/captain?host=/tmp/pg");
  auto refused = OpenStore("postgresql://captain:s3cret@127.0.0.1:1/captain");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message.find("s3cret"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace captain
