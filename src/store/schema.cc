#include "store/schema.h"

namespace captain {

const std::vector<const char*>& SqliteMigrations() {
  static const std::vector<const char*> kMigrations = {
      R"sql(
CREATE TABLE releases (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  release_day TEXT NOT NULL,
  state TEXT NOT NULL,
  candidate_commit TEXT NOT NULL DEFAULT '',
  requested_services TEXT NOT NULL DEFAULT '',
  changelog TEXT NOT NULL DEFAULT '',
  scheduled_at INTEGER,
  approved INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE opt_answers (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  team TEXT NOT NULL,
  service TEXT NOT NULL DEFAULT '',
  answer TEXT NOT NULL CHECK (answer IN ('in', 'out')),
  by TEXT NOT NULL,
  at INTEGER NOT NULL,
  late_reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE evidence_runs (
  run_id TEXT PRIMARY KEY,
  commit_sha TEXT NOT NULL,
  branch TEXT NOT NULL,
  finished_at INTEGER NOT NULL
);
CREATE TABLE evidence_images (
  run_id TEXT NOT NULL REFERENCES evidence_runs(run_id),
  service TEXT NOT NULL,
  ref TEXT NOT NULL,
  digest TEXT NOT NULL,
  scan TEXT NOT NULL,
  signed INTEGER NOT NULL,
  signed_at INTEGER,
  PRIMARY KEY (run_id, service)
);
CREATE TABLE develop_heads (
  id INTEGER PRIMARY KEY,
  commit_sha TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE gate_overrides (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  service TEXT NOT NULL,
  reason TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE candidate_swaps (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  service TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE signoffs (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  team TEXT NOT NULL,
  env TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE defects (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  service TEXT NOT NULL,
  title TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  resolved_by TEXT NOT NULL DEFAULT '',
  resolved_at INTEGER
);
CREATE TABLE health (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  env TEXT NOT NULL,
  service TEXT NOT NULL,
  healthy INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE deployments (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  env TEXT NOT NULL,
  service TEXT NOT NULL,
  commit_sha TEXT NOT NULL,
  old_tag TEXT NOT NULL,
  new_tag TEXT NOT NULL,
  signed_at INTEGER,
  gitops_commit TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE release_notes (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  category TEXT NOT NULL,
  text TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE tick_done (
  release_id TEXT NOT NULL REFERENCES releases(id),
  action TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (release_id, action)
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  release_id TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  before TEXT NOT NULL DEFAULT '',
  after TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  created_at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  text TEXT NOT NULL,
  release_id TEXT NOT NULL DEFAULT '',
  sent_at INTEGER
);
CREATE INDEX audit_release ON audit(release_id, id);
CREATE INDEX deployments_service ON deployments(service, env, at);
)sql",
      R"sql(
CREATE TABLE deploy_intents (
  id TEXT PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  env TEXT NOT NULL,
  step TEXT NOT NULL,
  changes TEXT NOT NULL,
  by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'abandoned')),
  gitops_commit TEXT NOT NULL DEFAULT '',
  finished_at INTEGER
);
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  env TEXT NOT NULL,
  title TEXT NOT NULL,
  reported_by_team TEXT NOT NULL,
  description TEXT NOT NULL,
  replication TEXT NOT NULL DEFAULT '',
  non_functional INTEGER NOT NULL,
  blocker INTEGER NOT NULL,
  root_cause TEXT NOT NULL,
  services TEXT NOT NULL,
  gitops_commit TEXT NOT NULL DEFAULT '',
  opened_by TEXT NOT NULL,
  opened_at INTEGER NOT NULL
);
)sql",
      // Rollbacks hold one service; captains cancel one service; defect-cutoff overrides;
      // the audit log keeps the wall-clock time beside the effective (--now) time.
      R"sql(
ALTER TABLE deployments ADD COLUMN rollback INTEGER NOT NULL DEFAULT 0;
ALTER TABLE gate_overrides ADD COLUMN kind TEXT NOT NULL DEFAULT 'gate-error';
CREATE TABLE service_cancels (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  service TEXT NOT NULL,
  reason TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL
);
ALTER TABLE audit ADD COLUMN recorded_at INTEGER;
CREATE INDEX audit_at ON audit(at);
)sql",
      // Every read a command makes selects by key: a release's rows, the runs of a commit, the
      // newest run and develop head, and what runs where (kept as its own table, so signature
      // ages cost the same at the fiftieth release as at the first).
      R"sql(
CREATE TABLE running (
  service TEXT NOT NULL,
  env TEXT NOT NULL,
  deployment_id INTEGER NOT NULL REFERENCES deployments(id),
  PRIMARY KEY (service, env)
) WITHOUT ROWID;
INSERT INTO running (service, env, deployment_id)
  SELECT service, env, (SELECT x.id FROM deployments x WHERE x.service = d.service AND
                        x.env = d.env ORDER BY x.at DESC, x.id DESC LIMIT 1)
  FROM deployments d GROUP BY service, env;
CREATE INDEX evidence_runs_commit ON evidence_runs(commit_sha);
CREATE INDEX evidence_runs_finished ON evidence_runs(finished_at DESC, run_id);
CREATE INDEX develop_heads_at ON develop_heads(at, id);
CREATE INDEX releases_state ON releases(state);
CREATE INDEX opt_answers_release ON opt_answers(release_id);
CREATE INDEX gate_overrides_release ON gate_overrides(release_id);
CREATE INDEX candidate_swaps_release ON candidate_swaps(release_id);
CREATE INDEX service_cancels_release ON service_cancels(release_id);
CREATE INDEX signoffs_release ON signoffs(release_id);
CREATE INDEX defects_release ON defects(release_id);
CREATE INDEX health_release ON health(release_id);
CREATE INDEX deployments_release ON deployments(release_id);
CREATE INDEX release_notes_release ON release_notes(release_id);
CREATE INDEX deploy_intents_state ON deploy_intents(state);
CREATE INDEX deploy_intents_release ON deploy_intents(release_id, env, state);
CREATE INDEX outbox_unsent ON outbox(sent_at);
CREATE INDEX audit_actor ON audit(actor, id);
CREATE INDEX audit_action ON audit(action, id);
)sql",
      // 5: leases (one scheduler per database however many daemons run).
      R"sql(
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
      // 6: deploy steps scheduled for a time.
      R"sql(
CREATE TABLE scheduled_steps (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL,
  step TEXT NOT NULL,
  env TEXT NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  holds TEXT NOT NULL,
  state TEXT NOT NULL,
  detail TEXT NOT NULL,
  finished_at INTEGER
);
CREATE INDEX scheduled_steps_pending ON scheduled_steps(state, at);
)sql",
      // 7: on-call swaps of release captains.
      R"sql(
CREATE TABLE oncall_swaps (
  id INTEGER PRIMARY KEY,
  release_day TEXT NOT NULL,
  role TEXT NOT NULL,
  engineer TEXT NOT NULL,
  reason TEXT NOT NULL,
  by TEXT NOT NULL,
  at INTEGER NOT NULL
);
)sql",
      // 8: the outbox's delivery to Slack; channel ids learned from Slack's answers.
      R"sql(
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN slack_ts TEXT NOT NULL DEFAULT '';
UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_state ON outbox(state, id);
CREATE TABLE slack_channels (
  name TEXT PRIMARY KEY,
  id TEXT NOT NULL
) WITHOUT ROWID;
)sql",
      // 9: Block Kit, threads, updates in place and ephemeral messages.
      R"sql(
ALTER TABLE outbox ADD COLUMN blocks TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN msg_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN thread_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN update_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN slack_user TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_key ON outbox(msg_key, id);
)sql",
      // 10: ArgoCD's notifications, and deploy steps watched until verified.
      R"sql(
CREATE TABLE argocd_events (
  id INTEGER PRIMARY KEY,
  received_at INTEGER NOT NULL,
  app TEXT NOT NULL,
  service TEXT NOT NULL,
  env TEXT NOT NULL,
  event TEXT NOT NULL,
  sync TEXT NOT NULL,
  health TEXT NOT NULL,
  revision TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX argocd_events_app ON argocd_events(app, id);
CREATE TABLE step_watches (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL,
  step TEXT NOT NULL,
  env TEXT NOT NULL,
  gitops_commit TEXT NOT NULL,
  by TEXT NOT NULL,
  services TEXT NOT NULL,
  apps TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  finished_at INTEGER
);
CREATE INDEX step_watches_state ON step_watches(state, env);
)sql",
      // 11: how far each daemon's journal of ArgoCD notifications has been applied.
      R"sql(
CREATE TABLE argocd_journals (
  name TEXT PRIMARY KEY,
  applied INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
      // 12: images checked against the registry.
      R"sql(
CREATE TABLE registry_checks (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL REFERENCES releases(id),
  service TEXT NOT NULL,
  ref TEXT NOT NULL,
  digest TEXT NOT NULL,
  image_digest TEXT NOT NULL,
  verdict TEXT NOT NULL,
  revision TEXT NOT NULL,
  signed_at INTEGER,
  detail TEXT NOT NULL,
  checked_at INTEGER NOT NULL,
  keys TEXT NOT NULL
);
CREATE INDEX registry_checks_release ON registry_checks(release_id, id);
)sql",
  };
  return kMigrations;
}

}  // namespace captain
