// SqlStore: deploy intents and incidents.
#include "store/sql_store.h"
#include "store/sql_util.h"

namespace captain {
namespace {

using sql::At;
using sql::SplitList;

}  // namespace

Status SqlStore::AddIntent(const DeployIntent& i) {
  return Exec("record deploy intent", [&] {
    sql::Statement q(db_,
                     "INSERT INTO deploy_intents (id, release_id, env, step, changes, by, "
                     "created_at, state) VALUES (?,?,?,?,?,?,?,?)");
    sql::Bind(q, i.id, i.release_id, i.env, i.step, i.changes, i.by, i.created_at, i.state);
    q.exec();
  });
}

Status SqlStore::FinishIntent(const std::string& id, const std::string& state,
                              const std::string& gitops_commit, Instant at) {
  return Exec("finish deploy intent", [&] {
    sql::Statement q(db_,
                     "UPDATE deploy_intents SET state = ?, gitops_commit = ?, finished_at = ? "
                     "WHERE id = ?");
    sql::Bind(q, state, gitops_commit, at, id);
    q.exec();
  });
}

namespace {

std::vector<DeployIntent> ReadIntents(sql::Statement& q) {
  std::vector<DeployIntent> out;
  while (q.executeStep()) {
    DeployIntent i;
    i.id = q.getColumn(0).getString();
    i.release_id = q.getColumn(1).getString();
    i.env = q.getColumn(2).getString();
    i.step = q.getColumn(3).getString();
    i.changes = q.getColumn(4).getString();
    i.by = q.getColumn(5).getString();
    i.created_at = At(q.getColumn(6).getInt64());
    i.state = q.getColumn(7).getString();
    i.gitops_commit = q.getColumn(8).getString();
    out.push_back(std::move(i));
  }
  return out;
}

constexpr const char* kIntentColumns =
    "SELECT id, release_id, env, step, changes, by, created_at, state, gitops_commit FROM "
    "deploy_intents ";

}  // namespace

Result<std::vector<DeployIntent>> SqlStore::PendingIntents() {
  return Guard<std::vector<DeployIntent>>("list deploy intents", [&] {
    sql::Statement q(
        db_, std::string(kIntentColumns) + "WHERE state = 'pending' ORDER BY created_at, id");
    return ReadIntents(q);
  });
}

Result<std::optional<DeployIntent>> SqlStore::LastAbandonedIntent(const std::string& release_id,
                                                                  const std::string& env) {
  return Guard<std::optional<DeployIntent>>("find an abandoned intent", [&]() {
    sql::Statement q(db_, std::string(kIntentColumns) +
                              "WHERE release_id = ? AND env = ? AND state = 'abandoned' "
                              "ORDER BY created_at DESC, finished_at DESC, id DESC LIMIT 1");
    sql::Bind(q, release_id, env);
    auto found = ReadIntents(q);
    return found.empty() ? std::optional<DeployIntent>() : std::optional(std::move(found[0]));
  });
}

Status SqlStore::AddOncallSwap(const OncallSwap& s) {
  return Exec("record an on-call swap", [&] {
    sql::Statement q(db_,
                     "INSERT INTO oncall_swaps (release_day, role, engineer, reason, by, at) "
                     "VALUES (?,?,?,?,?,?)");
    sql::Bind(q, FormatDate(s.release_day), s.role, s.engineer, s.reason, s.by, s.at);
    q.exec();
  });
}

Result<std::vector<OncallSwap>> SqlStore::ListOncallSwaps() {
  return Guard<std::vector<OncallSwap>>("list on-call swaps", [&] {
    sql::Statement q(db_,
                     "SELECT release_day, role, engineer, reason, by, at FROM oncall_swaps "
                     "ORDER BY id");
    std::vector<OncallSwap> out;
    while (q.executeStep()) {
      OncallSwap s;
      s.release_day = ParseDate(q.getColumn(0).getString()).value_or(Date{});
      s.role = q.getColumn(1).getString();
      s.engineer = q.getColumn(2).getString();
      s.reason = q.getColumn(3).getString();
      s.by = q.getColumn(4).getString();
      s.at = At(q.getColumn(5).getInt64());
      out.push_back(std::move(s));
    }
    return out;
  });
}

Result<int64_t> SqlStore::AddScheduled(const ScheduledStep& s) {
  return Guard<int64_t>("schedule a step", [&] {
    sql::Statement q(db_,
                     "INSERT INTO scheduled_steps (release_id, step, env, at, by, created_at, "
                     "holds, state, detail) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
    sql::Bind(q, s.release_id, s.step, s.env, s.at, s.by, s.created_at, s.holds, s.state, s.detail);
    return sql::ReturnedId(q);
  });
}

Result<std::vector<ScheduledStep>> SqlStore::ListScheduled(bool pending_only) {
  return Guard<std::vector<ScheduledStep>>("list scheduled steps", [&] {
    sql::Statement q(db_, std::string("SELECT id, release_id, step, env, at, by, created_at, "
                                      "holds, state, detail, finished_at FROM scheduled_steps") +
                              (pending_only ? " WHERE state = 'pending'" : "") +
                              " ORDER BY at, id");
    std::vector<ScheduledStep> out;
    while (q.executeStep()) {
      ScheduledStep s;
      s.id = q.getColumn(0).getInt64();
      s.release_id = q.getColumn(1).getString();
      s.step = q.getColumn(2).getString();
      s.env = q.getColumn(3).getString();
      s.at = At(q.getColumn(4).getInt64());
      s.by = q.getColumn(5).getString();
      s.created_at = At(q.getColumn(6).getInt64());
      s.holds = SplitList(q.getColumn(7).getString());
      s.state = q.getColumn(8).getString();
      s.detail = q.getColumn(9).getString();
      if (!q.getColumn(10).isNull()) s.finished_at = At(q.getColumn(10).getInt64());
      out.push_back(std::move(s));
    }
    return out;
  });
}

Result<bool> SqlStore::FinishScheduled(int64_t id, const std::string& state,
                                       const std::string& detail, Instant at) {
  return Guard<bool>("finish a scheduled step", [&] {
    sql::Statement q(db_,
                     "UPDATE scheduled_steps SET state = ?, detail = ?, finished_at = ? "
                     "WHERE id = ? AND state = 'pending'");
    sql::Bind(q, state, detail, at, id);
    return q.exec() == 1;
  });
}

Result<int64_t> SqlStore::AddIncident(const Incident& i) {
  return Guard<int64_t>("record incident", [&] {
    sql::Statement q(
        db_,
        "INSERT INTO incidents (release_id, env, title, reported_by_team, "
        "description, replication, non_functional, blocker, root_cause, services, "
        "gitops_commit, opened_by, opened_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    sql::Bind(q, i.release_id, i.env, i.title, i.reported_by_team, i.description, i.replication,
              i.non_functional, i.blocker, i.root_cause, i.services, i.gitops_commit, i.opened_by,
              i.opened_at);
    return sql::ReturnedId(q);
  });
}

Result<std::vector<Incident>> SqlStore::ListIncidents() {
  return Guard<std::vector<Incident>>("list incidents", [&] {
    sql::Statement q(db_,
                     "SELECT id, release_id, env, title, reported_by_team, description, "
                     "replication, non_functional, blocker, root_cause, services, "
                     "gitops_commit, opened_by, opened_at FROM incidents ORDER BY id");
    std::vector<Incident> out;
    while (q.executeStep()) {
      Incident i;
      i.id = q.getColumn(0).getInt64();
      i.release_id = q.getColumn(1).getString();
      i.env = q.getColumn(2).getString();
      i.title = q.getColumn(3).getString();
      i.reported_by_team = q.getColumn(4).getString();
      i.description = q.getColumn(5).getString();
      i.replication = q.getColumn(6).getString();
      i.non_functional = q.getColumn(7).getInt() != 0;
      i.blocker = q.getColumn(8).getInt() != 0;
      i.root_cause = q.getColumn(9).getString();
      i.services = SplitList(q.getColumn(10).getString());
      i.gitops_commit = q.getColumn(11).getString();
      i.opened_by = q.getColumn(12).getString();
      i.opened_at = At(q.getColumn(13).getInt64());
      out.push_back(std::move(i));
    }
    return out;
  });
}

}  // namespace captain
