// Reading the audit log: matching entries one at a time, oldest first, in constant memory.
#pragma once

#include <functional>

#include "app/app.h"

namespace captain {

// A usage error for an unknown release or a negative limit; otherwise `each` sees every
// matching entry in order.
Status StreamAudit(const App& app, const AuditQuery& q,
                   const std::function<Status(const AuditEntry&)>& each);

}  // namespace captain
