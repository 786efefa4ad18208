#pragma once

#include <QByteArrayView>
#include <QString>

namespace codeworm {

// SHA-256 of content, as lowercase hex: the code hashes of files and symbols (the dedup keys
// of the state database, the same as the Python original's). OpenSSL's implementation uses
// the CPU's SHA extensions; Qt's own took 6% of a first index. Thread-safe.
QString sha256Hex(QByteArrayView data);

} // namespace codeworm
