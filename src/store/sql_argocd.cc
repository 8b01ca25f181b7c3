// SqlStore: ArgoCD's notifications and the deploy steps watched until verified.
#include "store/sql_store.h"
#include "store/sql_util.h"

namespace captain {
namespace {

using sql::At;

constexpr const char* kWatchColumns =
    "id, release_id, step, env, gitops_commit, by, services, apps, started_at, state, "
    "finished_at";

StepWatch WatchRow(sql::Statement& q) {
  StepWatch w;
  w.id = q.getColumn(0).getInt64();
  w.release_id = q.getColumn(1).getString();
  w.step = q.getColumn(2).getString();
  w.env = q.getColumn(3).getString();
  w.gitops_commit = q.getColumn(4).getString();
  w.by = q.getColumn(5).getString();
  w.services = sql::SplitList(q.getColumn(6).getString());
  w.apps = q.getColumn(7).getString();
  w.started_at = At(q.getColumn(8).getInt64());
  w.state = q.getColumn(9).getString();
  if (!q.getColumn(10).isNull()) w.finished_at = At(q.getColumn(10).getInt64());
  return w;
}

}  // namespace

Result<int64_t> SqlStore::AddArgoEvent(const ArgoEvent& e) {
  return Guard<int64_t>("record an ArgoCD event", [&] {
    sql::Statement& q = Cached(
        "INSERT INTO argocd_events (received_at, app, service, env, event, sync, health, "
        "revision, message) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
    sql::Bind(q, e.received_at, e.app, e.service, e.env, e.event, e.sync, e.health, e.revision,
              e.message);
    return sql::ReturnedId(q);
  });
}

Result<int64_t> SqlStore::CountArgoEvents() {
  return Guard<int64_t>("count ArgoCD events", [&] {
    sql::Statement q(db_, "SELECT count(*) FROM argocd_events");
    return sql::ReturnedId(q);
  });
}

Result<std::vector<ArgoEvent>> SqlStore::LatestArgoEvents() {
  return Guard<std::vector<ArgoEvent>>("read ArgoCD events", [&] {
    sql::Statement q(db_,
                     "SELECT id, received_at, app, service, env, event, sync, health, "
                     "revision, message FROM argocd_events WHERE id IN "
                     "(SELECT max(id) FROM argocd_events GROUP BY app) ORDER BY app");
    std::vector<ArgoEvent> out;
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getInt64(), At(q.getColumn(1).getInt64()),
                     q.getColumn(2).getString(), q.getColumn(3).getString(),
                     q.getColumn(4).getString(), q.getColumn(5).getString(),
                     q.getColumn(6).getString(), q.getColumn(7).getString(),
                     q.getColumn(8).getString(), q.getColumn(9).getString()});
    }
    return out;
  });
}

Result<std::string> SqlStore::ReleaseRunning(const std::string& service, const std::string& env) {
  return Guard<std::string>("find the release running", [&] {
    sql::Statement& q = Cached(
        "SELECT release_id FROM deployments WHERE service = ? AND env = ? "
        "ORDER BY at DESC, id DESC LIMIT 1");
    sql::Bind(q, service, env);
    std::string out = q.executeStep() ? q.getColumn(0).getString() : std::string();
    q.reset();
    return out;
  });
}

Result<int64_t> SqlStore::AddWatch(const StepWatch& w) {
  return Guard<int64_t>("watch a deploy step", [&] {
    sql::Statement q(db_,
                     "INSERT INTO step_watches (release_id, step, env, gitops_commit, by, "
                     "services, apps, started_at, state) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
    sql::Bind(q, w.release_id, w.step, w.env, w.gitops_commit, w.by, w.services, w.apps,
              w.started_at, w.state);
    return sql::ReturnedId(q);
  });
}

Result<std::vector<StepWatch>> SqlStore::OpenWatches(const std::string& env) {
  return Guard<std::vector<StepWatch>>("read watched steps", [&] {
    sql::Statement q(db_, std::string("SELECT ") + kWatchColumns +
                              " FROM step_watches WHERE state = 'watching' AND "
                              "(? = '' OR env = ?) ORDER BY id");
    sql::Bind(q, env, env);
    std::vector<StepWatch> out;
    while (q.executeStep()) out.push_back(WatchRow(q));
    return out;
  });
}

Result<std::vector<StepWatch>> SqlStore::ListWatches(const std::string& release_id) {
  return Guard<std::vector<StepWatch>>("read watched steps", [&] {
    sql::Statement q(db_, std::string("SELECT ") + kWatchColumns +
                              " FROM step_watches WHERE release_id = ? ORDER BY id");
    q.bind(1, release_id);
    std::vector<StepWatch> out;
    while (q.executeStep()) out.push_back(WatchRow(q));
    return out;
  });
}

Status SqlStore::UpdateWatch(const StepWatch& w) {
  return Exec("update a watched step", [&] {
    sql::Statement q(db_,
                     "UPDATE step_watches SET apps = ?, state = ?, finished_at = ? WHERE id = ?");
    sql::Bind(q, w.apps, w.state, w.finished_at, w.id);
    q.exec();
  });
}

Result<int64_t> SqlStore::JournalApplied(const std::string& name) {
  return Guard<int64_t>("read the ArgoCD journal mark", [&] {
    sql::Statement q(db_, "SELECT applied FROM argocd_journals WHERE name = ?");
    q.bind(1, name);
    return q.executeStep() ? q.getColumn(0).getInt64() : int64_t{0};
  });
}

Status SqlStore::SetJournalApplied(const std::string& name, int64_t seq) {
  return Exec("mark the ArgoCD journal", [&] {
    sql::Statement& q = Cached(
        "INSERT INTO argocd_journals (name, applied) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET applied = excluded.applied");
    sql::Bind(q, name, seq);
    q.exec();
  });
}

}  // namespace captain
