#include "app/audit.h"

namespace captain {

Status StreamAudit(const App& app, const AuditQuery& q,
                   const std::function<Status(const AuditEntry&)>& each) {
  if (q.limit < 0) return FieldError("limit", "must be 0 (no limit) or more");
  if (!q.release_id.empty()) {
    if (auto r = app.GetRelease(q.release_id); !r) return r.error();
  }
  return app.store.ForEachAudit(q, each);
}

}  // namespace captain
