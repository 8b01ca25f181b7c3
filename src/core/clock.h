// The only clock the rules see. The CLI's --now installs a FixedClock.
#pragma once

#include <chrono>

#include "core/timefmt.h"

namespace captain {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class SystemClock : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(Instant t) : t_(t) {}
  Instant Now() const override { return t_; }
  void Set(Instant t) { t_ = t; }

 private:
  Instant t_;
};

// Starts at a given time and runs in real time (captain serve --now).
class OffsetClock : public Clock {
 public:
  explicit OffsetClock(Instant start) : offset_(start - SystemClock().Now()) {}
  Instant Now() const override { return SystemClock().Now() + offset_; }

 private:
  std::chrono::seconds offset_;
};

}  // namespace captain
