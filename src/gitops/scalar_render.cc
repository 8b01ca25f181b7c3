#include "gitops/scalar_render.h"

#include <cstdio>
#include <regex>

namespace captain {
namespace {

// Decodes one UTF-8 sequence at value[i]; returns its length, 0 when malformed.
size_t DecodeUtf8(std::string_view value, size_t i, char32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(value[i + k]); };
  unsigned char lead = b(0);
  size_t len = lead < 0x80         ? 1
               : (lead >> 5) == 6  ? 2
               : (lead >> 4) == 14 ? 3
               : (lead >> 3) == 30 ? 4
                                   : 0;
  if (len == 0 || i + len > value.size()) return 0;
  cp = len == 1 ? lead : lead & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3f);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

std::string CodePoint(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

bool IsLineBreak(char32_t cp) {
  return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

bool IsControl(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff;
}

bool StartsWithIndicator(std::string_view value) {
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  return kIndicators.find(value.front()) != std::string_view::npos;
}

bool HasFlowIndicator(std::string_view value) {
  return value.find_first_of(",[]{}:") != std::string_view::npos;
}

}  // namespace

Status CheckScalarValue(std::string_view value) {
  for (size_t i = 0; i < value.size();) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(value, i, cp);
    if (len == 0) return UsageError("new value is not valid UTF-8");
    if (IsLineBreak(cp))
      return UsageError("new value contains a line break (" + CodePoint(cp) + ")");
    if (IsControl(cp)) {
      return UsageError("new value contains a control character (" + CodePoint(cp) + ")");
    }
    if (cp == 0xfeff) return UsageError("new value contains a byte order mark (U+FEFF)");
    i += len;
  }
  return {};
}

bool ResolvesToNonString(std::string_view value) {
  static const std::regex kSpecial(
      // null and bool, YAML 1.1 and 1.2
      "~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
      "|on|On|ON|off|Off|OFF"
      // ints: decimal and 1.1 octal, 0o, hex, binary, 1.1 sexagesimal
      "|[-+]?[0-9][0-9_]*|[-+]?0o[0-7_]+|[-+]?0[xX][0-9a-fA-F_]+|[-+]?0b[01_]+"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+"
      // floats: 1.2 core, 1.1 (with _), sexagesimal, hex floats, inf and nan
      "|[-+]?([0-9][0-9_]*\\.[0-9_]*|\\.[0-9][0-9_]*)([eE][-+]?[0-9]+)?"
      "|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
      "|[-+]?0[xX][0-9a-fA-F_.]*[pP][-+]?[0-9]+"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|[-+]?([iI][nN][fF]([iI][nN][iI][tT][yY])?|[nN][aA][nN])"
      // 1.1 timestamps (dates and date-times), merge and value keys
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?|<<|=");
  return std::regex_match(value.begin(), value.end(), kSpecial);
}

bool NeedsQuotes(std::string_view value, bool in_flow) {
  if (value.empty() || value.front() == ' ' || value.back() == ' ') return true;
  if (StartsWithIndicator(value) || value.substr(0, 3) == "...") return true;
  if (value.find(": ") != std::string_view::npos || value.find(" #") != std::string_view::npos ||
      value.back() == ':') {
    return true;
  }
  if (in_flow && HasFlowIndicator(value)) return true;
  return ResolvesToNonString(value);
}

std::string RenderReplacement(std::string_view value, ScalarStyle original, bool in_flow) {
  std::string out;
  if (original == ScalarStyle::kSingleQuoted) {
    for (char ch : value) out += ch == '\'' ? std::string("''") : std::string(1, ch);
    return out;
  }
  bool add_quotes = original == ScalarStyle::kPlain;
  if (add_quotes && !NeedsQuotes(value, in_flow)) return std::string(value);
  if (add_quotes) out += '"';
  for (char ch : value) {
    auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      out += buf;
    } else {
      out += ch;
    }
  }
  if (add_quotes) out += '"';
  return out;
}

}  // namespace captain
