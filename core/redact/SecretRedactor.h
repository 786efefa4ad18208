#pragma once

#include <QList>
#include <QString>

namespace codeworm {

// One secret that was replaced.
struct Redaction
{
    QString kind; // "aws-access-key", "private-key", ... (also in the marker)
    int line = 0; // 1-based line of the text where it started
};

struct RedactedText
{
    QString text;
    QList<Redaction> redactions;
};

// Replaces secrets in source code and generated text by a marker that names their kind,
// `[REDACTED:<kind>]`, before anything leaves the process (the prompt) or is written (the
// DevLog): private key blocks, cloud keys (AWS, GCP, Azure), service tokens (GitHub, GitLab,
// Slack, Stripe, OpenAI-style, npm, PyPI, SendGrid, Twilio, Hugging Face, ...), JWTs,
// passwords in connection strings and in assignments, Authorization headers, the values of
// `.env` files and high-entropy strings assigned to secret-like names. Written to miss
// placeholders, references to the environment, hashes, UUIDs and ordinary identifiers, so
// that documents stay readable. Pure functions; safe from any thread.
namespace SecretRedactor {

// `path` (repository-relative, may be empty) lets `.env` files be treated as such.
RedactedText redact(const QString &text, const QString &path = {});

// "[REDACTED:<kind>]".
QString marker(const QString &kind);

// Shannon entropy in bits per character.
double entropy(QStringView text);

} // namespace SecretRedactor
} // namespace codeworm
