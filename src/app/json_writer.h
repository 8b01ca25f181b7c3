// JSON written straight into a string, for the large documents (plans and release views of
// thousands of services, signature ages): no tree of objects built first. Strings that are not
// UTF-8 are written with U+FFFD in place of the bad bytes, like the rest of captain's output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace captain {

class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // A string, or null when empty.
  JsonWriter& StringOrNull(std::string_view s) { return s.empty() ? Null() : String(s); }
  // Key and value in one call.
  template <typename F>
  JsonWriter& Field(std::string_view k, F&& value) {
    Key(k);
    value(*this);
    return *this;
  }

  const std::string& str() const { return out_; }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();
  void Escaped(std::string_view s);

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace captain
