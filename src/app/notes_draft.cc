#include "app/notes_draft.h"

#include "core/plan.h"
#include "core/release_notes.h"
#include "gitops/source_history.h"

namespace captain {

Result<NotesDraft> DraftReleaseNotes(const App& app, const std::string& release_id,
                                     const std::string& from, bool save, const std::string& by) {
  if (app.config.source_repo.repo.empty()) {
    return UsageError(app.config.source +
                      ": source.repo: not configured; captain needs the "
                      "source repository to draft release notes");
  }
  if (!from.empty()) {
    if (auto st = CheckCommit("from", from); !st) return st.error();
  }
  if (save) {
    if (auto st = CheckActor(by); !st) return st.error();
  }
  auto facts = app.store.LoadFacts(release_id);
  if (!facts) return facts.error();
  NotesDraft draft;
  draft.to = ReleaseCandidate(*facts);
  if (draft.to.empty())
    return PolicyError("release " + release_id + " has no candidate commit yet");
  draft.from = from;
  if (draft.from.empty()) {
    auto history = app.store.LoadHistory();
    if (!history) return history.error();
    const std::string& last = app.config.environments.back().name;
    const Deployment* latest = nullptr;
    for (const auto& d : history->deployments) {
      if (d.env == last && !d.commit.empty() && (!latest || d.at >= latest->at)) latest = &d;
    }
    if (latest) draft.from = latest->commit;
  }
  std::string url = app.config.ResolvePath(app.config.source_repo.repo);
  auto subjects = CommitSubjectsBetween(
      url, app.config.ResolvePath(app.config.state_dir) + "/source.git", draft.from, draft.to);
  if (!subjects) return subjects.error();
  draft.commits = subjects->size();
  draft.notes = DraftNotes(*subjects);
  if (!save) return draft;
  Status st = app.store.Transaction([&]() -> Status {
    for (const auto& [category, entries] : draft.notes) {
      std::string text;
      for (const auto& e : entries) text += (text.empty() ? "" : "\n") + e;
      if (auto s = app.store.AddNote(release_id, {category, text, by, app.Now()}); !s) return s;
    }
    return app.Audit(by, "release.notes-drafted", release_id, "", nullptr,
                     {{"from", draft.from}, {"to", draft.to}, {"commits", draft.commits}});
  });
  if (!st) return st.error();
  return draft;
}

}  // namespace captain
