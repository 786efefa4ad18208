#include "analysis/ContentHash.h"

#include <QLoggingCategory>

#include <openssl/evp.h>

#include <array>
#include <memory>

Q_LOGGING_CATEGORY(lcContentHash, "codeworm.analysis")

namespace codeworm {

namespace {

struct DigestDeleter
{
    void operator()(EVP_MD *md) const { EVP_MD_free(md); }
};

struct ContextDeleter
{
    void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};

// Fetched once: an implicit fetch (EVP_sha256()) looks the algorithm up on every digest.
const EVP_MD *sha256()
{
    static const std::unique_ptr<EVP_MD, DigestDeleter> md(
        EVP_MD_fetch(nullptr, "SHA256", nullptr));
    return md.get();
}

} // namespace

QString sha256Hex(QByteArrayView data)
{
    thread_local const std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(EVP_MD_CTX_new());
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    const EVP_MD *md = sha256();
    if (!md || !context || !EVP_DigestInit_ex(context.get(), md, nullptr) ||
        !EVP_DigestUpdate(context.get(), data.data(), static_cast<size_t>(data.size())) ||
        !EVP_DigestFinal_ex(context.get(), digest.data(), &length)) {
        // Only when OpenSSL itself is broken (no default provider): fail loudly, as a wrong
        // hash would silently defeat deduplication.
        // qCFatal needs Qt 6.5; this is what it expands to.
        QMessageLogger(QT_MESSAGELOG_FILE, QT_MESSAGELOG_LINE, QT_MESSAGELOG_FUNC,
                       lcContentHash().categoryName())
            .fatal("SHA-256 is not available from OpenSSL");
    }
    static constexpr char digits[] = "0123456789abcdef";
    QString hex(static_cast<qsizetype>(length) * 2, Qt::Uninitialized);
    QChar *out = hex.data();
    for (unsigned int i = 0; i < length; ++i) {
        *out++ = QLatin1Char(digits[digest[i] >> 4]);
        *out++ = QLatin1Char(digits[digest[i] & 0xf]);
    }
    return hex;
}

} // namespace codeworm
