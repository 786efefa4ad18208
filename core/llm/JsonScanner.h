#pragma once

#include <QByteArrayView>
#include <QString>
#include <QVarLengthArray>

namespace codeworm {

// A strict, allocation-free reader of the top-level members of one JSON object, for the lines
// of a streamed answer: a generation is thousands of small lines, and building a QJsonDocument
// for each cost more than receiving them. Anything it does not accept (which includes all
// invalid JSON) is left to QJsonDocument, which also says what is wrong.
namespace JsonScanner {

struct Member
{
    enum class Kind : char { String, Number, Object, Array, True, False, Null };
    QByteArrayView key;   // as written between the quotes (escapes not decoded)
    QByteArrayView value; // the value's text; a string's with its quotes
    Kind kind = Kind::Null;
};

using Members = QVarLengthArray<Member, 12>;

// The members of `text`, one JSON object (surrounding white space allowed), in order. False
// when text is not exactly one valid JSON object, or a key needs unescaping.
bool members(QByteArrayView text, Members &out);

// The last member named key (as JSON parsers keep it), or null.
const Member *find(const Members &members, QByteArrayView key);

// Appends the decoded text of a string value (with its quotes) to out. False on an escape
// that is not valid (then out is unchanged).
bool appendString(QByteArrayView value, QString &out);

} // namespace JsonScanner
} // namespace codeworm
