#include "llm/JsonScanner.h"

#include <QVarLengthArray>
#include <QtEndian>

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace codeworm::JsonScanner {

namespace {

// Deeper nesting is left to QJsonDocument (which allows more): no stack runs out here.
constexpr int maxDepth = 64;

// Bytes that end a plain run inside a string: the quote, the backslash, control characters.
constexpr std::array<bool, 256> stringStops = [] {
    std::array<bool, 256> stops{};
    for (int c = 0; c < 0x20; ++c) {
        stops[c] = true;
    }
    stops['"'] = true;
    stops['\\'] = true;
    return stops;
}();

struct Cursor
{
    const char *p;
    const char *end;
};

void skipSpace(Cursor &c)
{
    while (c.p < c.end && (*c.p == ' ' || *c.p == '\n' || *c.p == '\r' || *c.p == '\t')) {
        ++c.p;
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Four hex digits at p (which has at least four bytes), or -1.
int hex4(const char *p)
{
    int value = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hexValue(p[i]);
        if (digit < 0) {
            return -1;
        }
        value = value * 16 + digit;
    }
    return value;
}

// Well-formed UTF-8: no stray continuation bytes, overlong forms, surrogates or code points
// beyond U+10FFFF.
bool isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const unsigned char *end = p + bytes.size();
    while (p < end) {
        const unsigned char lead = *p++;
        if (lead < 0x80) {
            continue;
        }
        int more = 0;
        char32_t code = 0;
        char32_t least = 0;
        if ((lead & 0xE0) == 0xC0) {
            more = 1;
            code = lead & 0x1F;
            least = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            more = 2;
            code = lead & 0x0F;
            least = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            more = 3;
            code = lead & 0x07;
            least = 0x10000;
        } else {
            return false;
        }
        if (end - p < more) {
            return false;
        }
        for (int i = 0; i < more; ++i, ++p) {
            if ((*p & 0xC0) != 0x80) {
                return false;
            }
            code = (code << 6) | (*p & 0x3F);
        }
        if (code < least || code > 0x10FFFF || (code >= 0xD800 && code < 0xE000)) {
            return false;
        }
    }
    return true;
}

// The string stops among the eight bytes of word (loaded little-endian): the high bit of each
// stop byte; bits above the first stop may be false alarms, the lowest set bit never is.
quint64 stopBits(quint64 word)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    const auto zeroBytes = [](quint64 x) { return (x - ones) & ~x & highs; };
    const quint64 below0x20 = (word - ones * 0x20) & ~word & highs;
    return below0x20 | zeroBytes(word ^ (ones * '"')) | zeroBytes(word ^ (ones * '\\'));
}

#if defined(__SSE2__)
// The stops among the sixteen bytes at p as bits (bit i for p[i]); high: their high bits.
unsigned stopMask16(const char *p, unsigned *high)
{
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    const __m128i quotes = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
    const __m128i backslashes = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
    // Unsigned bytes below 0x20 are those whose maximum with 0x1F is 0x1F.
    const __m128i limit = _mm_set1_epi8(0x1F);
    const __m128i controls = _mm_cmpeq_epi8(_mm_max_epu8(bytes, limit), limit);
    *high = unsigned(_mm_movemask_epi8(bytes));
    return unsigned(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quotes, backslashes), controls)));
}
#endif

// At the opening quote; moves past the closing one. escaped: whether there was a backslash.
bool skipString(Cursor &c, bool *escaped)
{
    const char *start = ++c.p;
    quint64 seen = 0; // the bits of every byte: whether any is not ASCII
    for (;;) {
        bool found = false;
#if defined(__SSE2__)
        // Sixteen bytes per step (most strings of a stream end within the first step).
        while (c.end - c.p >= 16) {
            unsigned high = 0;
            if (const unsigned stops = stopMask16(c.p, &high)) {
                const int before = qCountTrailingZeroBits(stops);
                seen |= (high & ((1U << before) - 1)) != 0 ? 0x80U : 0U;
                c.p += before;
                found = true;
                break;
            }
            seen |= high != 0 ? 0x80U : 0U;
            c.p += 16;
        }
#endif
        // Eight bytes per step, straight to the first stop.
        while (!found && c.end - c.p >= 8) {
            const auto word = qFromLittleEndian<quint64>(c.p);
            if (const quint64 stops = stopBits(word)) {
                const int before = qCountTrailingZeroBits(stops) / 8;
                seen |= word & ((quint64(1) << (8 * before)) - 1);
                c.p += before;
                found = true;
                break;
            }
            seen |= word;
            c.p += 8;
        }
        while (!found && c.p < c.end && !stringStops[static_cast<unsigned char>(*c.p)]) {
            seen |= static_cast<unsigned char>(*c.p);
            ++c.p;
        }
        if (c.p >= c.end) {
            return false;
        }
        if (*c.p == '"') {
            ++c.p;
            // Text that is not ASCII must be UTF-8, as Qt's parser requires.
            return (seen & 0x8080808080808080ULL) == 0 ||
                   isValidUtf8(QByteArrayView(start, c.p - 1 - start));
        }
        if (*c.p != '\\' || c.end - c.p < 2) {
            return false; // a raw control character, or a backslash at the end
        }
        *escaped = true;
        switch (c.p[1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            c.p += 2;
            break;
        case 'u':
            if (c.end - c.p < 6 || hex4(c.p + 2) < 0) {
                return false;
            }
            c.p += 6;
            break;
        default:
            return false;
        }
    }
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool skipDigits(Cursor &c)
{
    const char *start = c.p;
    while (c.p < c.end && isDigit(*c.p)) {
        ++c.p;
    }
    return c.p > start;
}

bool skipNumber(Cursor &c)
{
    if (*c.p == '-') {
        ++c.p;
    }
    if (c.p < c.end && *c.p == '0') {
        ++c.p;
    } else if (!skipDigits(c)) {
        return false;
    }
    if (c.p < c.end && *c.p == '.') {
        ++c.p;
        if (!skipDigits(c)) {
            return false;
        }
    }
    if (c.p < c.end && (*c.p == 'e' || *c.p == 'E')) {
        ++c.p;
        if (c.p < c.end && (*c.p == '+' || *c.p == '-')) {
            ++c.p;
        }
        if (!skipDigits(c)) {
            return false;
        }
    }
    return true;
}

bool skipLiteral(Cursor &c, QByteArrayView word)
{
    if (QByteArrayView(c.p, c.end - c.p).startsWith(word)) {
        c.p += word.size();
        return true;
    }
    return false;
}

bool skipValue(Cursor &c, Member::Kind *kind, int depth);

// At '{' or '['; moves past the matching close.
bool skipContainer(Cursor &c, bool object, int depth)
{
    if (depth >= maxDepth) {
        return false;
    }
    const char close = object ? '}' : ']';
    ++c.p;
    skipSpace(c);
    if (c.p < c.end && *c.p == close) {
        ++c.p;
        return true;
    }
    for (;;) {
        if (object) {
            bool escaped = false;
            if (c.p >= c.end || *c.p != '"' || !skipString(c, &escaped)) {
                return false;
            }
            skipSpace(c);
            if (c.p >= c.end || *c.p != ':') {
                return false;
            }
            ++c.p;
            skipSpace(c);
        }
        Member::Kind kind;
        if (!skipValue(c, &kind, depth + 1)) {
            return false;
        }
        skipSpace(c);
        if (c.p >= c.end) {
            return false;
        }
        if (*c.p == close) {
            ++c.p;
            return true;
        }
        if (*c.p != ',') {
            return false;
        }
        ++c.p;
        skipSpace(c);
    }
}

bool skipValue(Cursor &c, Member::Kind *kind, int depth)
{
    if (c.p >= c.end) {
        return false;
    }
    switch (*c.p) {
    case '"': {
        bool escaped = false;
        *kind = Member::Kind::String;
        return skipString(c, &escaped);
    }
    case '{':
        *kind = Member::Kind::Object;
        return skipContainer(c, true, depth);
    case '[':
        *kind = Member::Kind::Array;
        return skipContainer(c, false, depth);
    case 't':
        *kind = Member::Kind::True;
        return skipLiteral(c, "true");
    case 'f':
        *kind = Member::Kind::False;
        return skipLiteral(c, "false");
    case 'n':
        *kind = Member::Kind::Null;
        return skipLiteral(c, "null");
    default:
        *kind = Member::Kind::Number;
        return skipNumber(c);
    }
}

void appendUtf8(QVarLengthArray<char, 256> &out, char32_t code)
{
    if (code < 0x80) {
        out.append(char(code));
    } else if (code < 0x800) {
        out.append(char(0xC0 | (code >> 6)));
        out.append(char(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
        out.append(char(0xE0 | (code >> 12)));
        out.append(char(0x80 | ((code >> 6) & 0x3F)));
        out.append(char(0x80 | (code & 0x3F)));
    } else {
        out.append(char(0xF0 | (code >> 18)));
        out.append(char(0x80 | ((code >> 12) & 0x3F)));
        out.append(char(0x80 | ((code >> 6) & 0x3F)));
        out.append(char(0x80 | (code & 0x3F)));
    }
}

} // namespace

bool members(QByteArrayView text, Members &out)
{
    out.clear();
    Cursor c{text.data(), text.data() + text.size()};
    skipSpace(c);
    if (c.p >= c.end || *c.p != '{') {
        return false;
    }
    ++c.p;
    skipSpace(c);
    bool closed = c.p < c.end && *c.p == '}';
    if (closed) {
        ++c.p;
    }
    while (!closed) {
        if (c.p >= c.end || *c.p != '"') {
            return false;
        }
        const char *keyStart = c.p + 1;
        bool escaped = false;
        if (!skipString(c, &escaped) || escaped) {
            return false;
        }
        const QByteArrayView key(keyStart, c.p - 1 - keyStart);
        skipSpace(c);
        if (c.p >= c.end || *c.p != ':') {
            return false;
        }
        ++c.p;
        skipSpace(c);
        const char *valueStart = c.p;
        Member::Kind kind = Member::Kind::Null;
        if (!skipValue(c, &kind, 1)) {
            return false;
        }
        // Built whole in place: a Member first filled field by field and then copied made the
        // copy wait on the store of its one-byte kind.
        out.emplace_back(Member{key, QByteArrayView(valueStart, c.p - valueStart), kind});
        skipSpace(c);
        if (c.p >= c.end) {
            return false;
        }
        if (*c.p == '}') {
            ++c.p;
            closed = true;
        } else if (*c.p == ',') {
            ++c.p;
            skipSpace(c);
        } else {
            return false;
        }
    }
    skipSpace(c);
    return c.p == c.end;
}

const Member *find(const Members &members, QByteArrayView key)
{
    for (qsizetype i = members.size() - 1; i >= 0; --i) {
        const QByteArrayView name = members[i].key;
        if (name.size() != key.size()) {
            continue;
        }
        // Keys are a few bytes: compared in line rather than through a call to memcmp.
        qsizetype same = 0;
        while (same < key.size() && name[same] == key[same]) {
            ++same;
        }
        if (same == key.size()) {
            return &members[i];
        }
    }
    return nullptr;
}

bool appendString(QByteArrayView value, QString &out)
{
    if (value.size() < 2) {
        return false;
    }
    const QByteArrayView inner = value.sliced(1, value.size() - 2);
    if (!inner.contains('\\')) {
        // Most pieces are ASCII: appended in place, without a QString of their own.
        const bool ascii = std::all_of(inner.begin(), inner.end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (ascii) {
            out.append(QLatin1StringView(inner.data(), inner.size()));
        } else {
            out += QString::fromUtf8(inner);
        }
        return true;
    }
    QVarLengthArray<char, 256> bytes;
    for (qsizetype i = 0; i < inner.size(); ++i) {
        const char c = inner[i];
        if (c != '\\') {
            bytes.append(c);
            continue;
        }
        if (i + 1 >= inner.size()) {
            return false;
        }
        const char escape = inner[++i];
        switch (escape) {
        case 'b':
            bytes.append('\b');
            break;
        case 'f':
            bytes.append('\f');
            break;
        case 'n':
            bytes.append('\n');
            break;
        case 'r':
            bytes.append('\r');
            break;
        case 't':
            bytes.append('\t');
            break;
        case 'u': {
            if (i + 4 >= inner.size()) {
                return false;
            }
            const int unit = hex4(inner.data() + i + 1);
            if (unit < 0) {
                return false;
            }
            auto code = char32_t(unit);
            i += 4;
            if (code >= 0xD800 && code < 0xDC00) {
                // A high surrogate must be followed by its low one.
                if (i + 6 >= inner.size()) {
                    return false;
                }
                if (inner[i + 1] != '\\' || inner[i + 2] != 'u') {
                    return false;
                }
                const int low = hex4(inner.data() + i + 3);
                if (low < 0xDC00 || low >= 0xE000) {
                    return false;
                }
                code = 0x10000 + ((code - 0xD800) << 10) + char32_t(low - 0xDC00);
                i += 6;
            } else if (code >= 0xDC00 && code < 0xE000) {
                return false; // a lone low surrogate
            }
            appendUtf8(bytes, code);
            break;
        }
        default: // '"', '\\', '/'
            bytes.append(escape);
            break;
        }
    }
    out += QString::fromUtf8(bytes.constData(), bytes.size());
    return true;
}

} // namespace codeworm::JsonScanner
