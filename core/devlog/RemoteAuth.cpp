#include "devlog/RemoteAuth.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QUrl>

namespace codeworm {

namespace {

Q_LOGGING_CATEGORY(lcAuth, "codeworm.devlog.push")

// Host and port of an SSH remote: ssh://[user@]host[:port]/path or scp-like
// [user@]host:path.
struct SshAddress
{
    QString host;
    int port = 22;
};

SshAddress sshAddress(const QString &url)
{
    SshAddress address;
    if (url.contains(QLatin1String("://"))) {
        const QUrl parsed(url);
        address.host = parsed.host();
        address.port = parsed.port(22);
        return address;
    }
    QString rest = url.section(QLatin1Char(':'), 0, 0);
    if (rest.contains(QLatin1Char('@'))) {
        rest = rest.section(QLatin1Char('@'), -1);
    }
    if (rest.startsWith(QLatin1Char('[')) && rest.endsWith(QLatin1Char(']'))) {
        rest = rest.mid(1, rest.size() - 2);
    }
    address.host = rest;
    return address;
}

QString knownHostsName(const SshAddress &address)
{
    return address.port == 22 ? address.host
                              : QStringLiteral("[%1]:%2").arg(address.host).arg(address.port);
}

// The key type named at the start of an SSH public key blob ("ssh-ed25519").
QByteArray blobKeyType(const QByteArray &blob)
{
    if (blob.size() < 4) {
        return {};
    }
    const auto *bytes = reinterpret_cast<const unsigned char *>(blob.constData());
    const quint32 length = (quint32(bytes[0]) << 24) | (quint32(bytes[1]) << 16) |
                           (quint32(bytes[2]) << 8) | quint32(bytes[3]);
    if (length > quint32(blob.size() - 4)) {
        return {};
    }
    return blob.mid(4, qsizetype(length));
}

// One known_hosts host pattern against a name: plain with * and ? wildcards, or hashed
// (|1|salt|hash: HMAC-SHA1 of the name keyed with the salt).
bool patternMatches(const QString &pattern, const QString &name)
{
    if (pattern.startsWith(QLatin1String("|1|"))) {
        const QStringList parts = pattern.split(QLatin1Char('|'));
        if (parts.size() != 4) {
            return false;
        }
        const QByteArray salt = QByteArray::fromBase64(parts.at(2).toLatin1());
        const QByteArray hash = QByteArray::fromBase64(parts.at(3).toLatin1());
        return QMessageAuthenticationCode::hash(name.toUtf8(), salt, QCryptographicHash::Sha1) ==
               hash;
    }
    // Brackets are literal here ("[host]:2222"), so no glob syntax beyond * and ?.
    QString regex = QRegularExpression::escape(pattern.toLower());
    regex.replace(QLatin1String("\\*"), QLatin1String(".*"));
    regex.replace(QLatin1String("\\?"), QLatin1String("."));
    return QRegularExpression(QRegularExpression::anchoredPattern(regex))
        .match(name.toLower())
        .hasMatch();
}

bool hostMatches(const QString &patterns, const QString &name)
{
    bool matched = false;
    for (const QString &pattern : patterns.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (pattern.startsWith(QLatin1Char('!'))) {
            if (patternMatches(pattern.mid(1), name)) {
                return false;
            }
        } else if (patternMatches(pattern, name)) {
            matched = true;
        }
    }
    return matched;
}

QString displayPath(const QString &path)
{
    const QString home = QDir::homePath();
    return path.startsWith(home + QLatin1Char('/')) ? QStringLiteral("~") + path.mid(home.size())
                                                    : path;
}

} // namespace

QStringList defaultKnownHostsFiles()
{
    return {QDir::homePath() + QStringLiteral("/.ssh/known_hosts"),
            QStringLiteral("/etc/ssh/ssh_known_hosts")};
}

HostKeyStatus checkKnownHost(const QStringList &knownHostsFiles, const QString &host,
                             const QByteArray &keyBlob)
{
    const QByteArray type = blobKeyType(keyBlob);
    bool known = false;
    bool changed = false;
    for (const QString &path : knownHostsFiles) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            continue;
        }
        while (!file.atEnd()) {
            const QString line = QString::fromUtf8(file.readLine()).trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#'))) {
                continue;
            }
            QStringList fields = line.split(QRegularExpression(QStringLiteral("\\s+")));
            QString marker;
            if (fields.first().startsWith(QLatin1Char('@'))) {
                marker = fields.takeFirst();
            }
            if (fields.size() < 3 || !hostMatches(fields.at(0), host)) {
                continue;
            }
            if (marker == QLatin1String("@cert-authority")) {
                continue; // certificates are not checked here
            }
            const QByteArray listed = QByteArray::fromBase64(fields.at(2).toLatin1());
            if (marker == QLatin1String("@revoked")) {
                if (listed == keyBlob) {
                    return HostKeyStatus::Revoked;
                }
                continue;
            }
            if (listed == keyBlob) {
                known = true;
            } else if (fields.at(1).toLatin1() == type) {
                changed = true;
            }
        }
    }
    if (known) {
        return HostKeyStatus::Known;
    }
    return changed ? HostKeyStatus::Changed : HostKeyStatus::Unknown;
}

Result<HelperCredential> gitCredentialFill(const QString &url, const QString &username,
                                           int timeoutMs)
{
    using R = Result<HelperCredential>;
    const QUrl parsed(url);
    if (!parsed.isValid() || parsed.host().isEmpty()) {
        return R::failure(
            QStringLiteral("cannot ask the git credential helper about %1: not a URL with a host")
                .arg(url));
    }
    QString host = parsed.host();
    if (parsed.port() != -1) {
        host += QLatin1Char(':') + QString::number(parsed.port());
    }
    QByteArray request = "protocol=" + parsed.scheme().toUtf8() + "\nhost=" + host.toUtf8() + '\n';
    const QString path = parsed.path().mid(1);
    if (!path.isEmpty()) {
        request += "path=" + path.toUtf8() + '\n';
    }
    const QString user = username.isEmpty() ? parsed.userName() : username;
    if (!user.isEmpty()) {
        request += "username=" + user.toUtf8() + '\n';
    }
    request += '\n';

    QProcess git;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    git.setProcessEnvironment(environment);
    git.start(QStringLiteral("git"), {QStringLiteral("credential"), QStringLiteral("fill")});
    if (!git.waitForStarted(timeoutMs)) {
        return R::failure(QStringLiteral("cannot run git to ask the credential helper: %1")
                              .arg(git.errorString()));
    }
    git.write(request);
    git.closeWriteChannel();
    if (!git.waitForFinished(timeoutMs)) {
        git.kill();
        git.waitForFinished(1000);
        return R::failure(
            QStringLiteral("git credential fill gave no answer within %1 s").arg(timeoutMs / 1000));
    }
    if (git.exitStatus() != QProcess::NormalExit || git.exitCode() != 0) {
        // git's own message ("terminal prompts disabled") names no secret.
        const QString reason = QString::fromUtf8(git.readAllStandardError())
                                   .trimmed()
                                   .section(QLatin1Char('\n'), 0, 0);
        return R::failure(QStringLiteral("the git credential helper has no credentials for %1%2")
                              .arg(host, reason.isEmpty()
                                             ? QString()
                                             : QStringLiteral(" (") + reason + QLatin1Char(')')));
    }
    HelperCredential credential;
    const QList<QByteArray> lines = git.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype equals = line.indexOf('=');
        if (equals <= 0) {
            continue;
        }
        const QByteArray key = line.left(equals);
        const QString value = QString::fromUtf8(line.mid(equals + 1));
        if (key == "username") {
            credential.username = value;
        } else if (key == "password") {
            credential.password = value;
        }
    }
    if (credential.password.isEmpty()) {
        return R::failure(
            QStringLiteral("the git credential helper gave no password for %1").arg(host));
    }
    return credential;
}

RemoteAuth::RemoteAuth(const DevLogConfig &config, const QString &url,
                       const std::atomic<bool> *cancel)
    : m_config(config)
    , m_url(url)
    , m_cancel(cancel)
{}

int RemoteAuth::refuse(const QString &message, int code)
{
    m_refused = true;
    m_failure = message;
    git_error_set_str(GIT_ERROR_NET, message.toUtf8().constData());
    return code;
}

int RemoteAuth::credential(git_credential **out, const char *url, const char *usernameFromUrl,
                           unsigned int allowedTypes)
{
    if (m_cancel && m_cancel->load()) {
        git_error_set_str(GIT_ERROR_NET, "cancelled");
        return GIT_EUSER;
    }
    if (++m_calls > maxCredentialCalls) {
        return refuse(QStringLiteral("gave up after %1 credential requests from %2 (offered: %3)")
                          .arg(maxCredentialCalls)
                          .arg(m_url, m_offered.join(QStringLiteral(", "))),
                      GIT_EAUTH);
    }
    const bool ssh = allowedTypes & (GIT_CREDENTIAL_SSH_KEY | GIT_CREDENTIAL_USERNAME);
    const QByteArray user =
        usernameFromUrl && *usernameFromUrl ? QByteArray(usernameFromUrl) : QByteArray("git");

    if (allowedTypes & GIT_CREDENTIAL_USERNAME) {
        return git_credential_username_new(out, user.constData());
    }
    if (allowedTypes & GIT_CREDENTIAL_SSH_KEY) {
        if (!m_agentOffered) {
            m_agentOffered = true;
            // libgit2 treats a missing agent as fatal, not as a refused key: ask only a live one.
            const QString socket = qEnvironmentVariable("SSH_AUTH_SOCK");
            if (!socket.isEmpty() && QFileInfo::exists(socket)) {
                m_offered << QStringLiteral("ssh-agent");
                return git_credential_ssh_key_from_agent(out, user.constData());
            }
        }
        if (!m_keysListed) {
            m_keysListed = true;
            if (!m_config.sshKey.isEmpty()) {
                m_keys << m_config.sshKey;
            } else {
                for (const char *name : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
                    const QString path =
                        QDir::homePath() + QStringLiteral("/.ssh/") + QLatin1String(name);
                    if (QFileInfo::exists(path)) {
                        m_keys << path;
                    }
                }
            }
        }
        while (!m_keys.isEmpty()) {
            const QString key = m_keys.takeFirst();
            if (!QFileInfo(key).isReadable()) {
                qCWarning(lcAuth, "devlog.ssh_key %s cannot be read", qPrintable(key));
                m_offered << QStringLiteral("unreadable key %1").arg(displayPath(key));
                continue;
            }
            const QString publicKey = key + QStringLiteral(".pub");
            const QByteArray publicPath =
                QFileInfo::exists(publicKey) ? QFile::encodeName(publicKey) : QByteArray();
            const QByteArray privatePath = QFile::encodeName(key);
            const QByteArray passphrase = m_config.sshPassphraseEnv.isEmpty()
                                              ? QByteArray()
                                              : qgetenv(m_config.sshPassphraseEnv.toLatin1());
            m_offered << QStringLiteral("key %1").arg(displayPath(key));
            return git_credential_ssh_key_new(
                out, user.constData(), publicPath.isEmpty() ? nullptr : publicPath.constData(),
                privatePath.constData(), passphrase.isEmpty() ? nullptr : passphrase.constData());
        }
    }
    if (allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
        const QUrl parsed(QString::fromUtf8(url));
        if (!m_tokenOffered && !m_config.tokenEnv.isEmpty()) {
            m_tokenOffered = true;
            const QByteArray token = qgetenv(m_config.tokenEnv.toLatin1());
            if (token.isEmpty()) {
                qCWarning(lcAuth, "devlog.token_env names %s, which is not set",
                          qPrintable(m_config.tokenEnv));
            } else {
                m_offered << QStringLiteral("token from $%1").arg(m_config.tokenEnv);
                // Hosts that take a token as the password accept any user name; this one is
                // the name GitHub documents for tokens.
                const QByteArray tokenUser = usernameFromUrl && *usernameFromUrl
                                                 ? QByteArray(usernameFromUrl)
                                                 : QByteArray("x-access-token");
                return git_credential_userpass_plaintext_new(out, tokenUser.constData(),
                                                             token.constData());
            }
        }
        if (!m_helperAsked) {
            m_helperAsked = true;
            const auto filled =
                gitCredentialFill(parsed.isValid() ? parsed.toString() : m_url,
                                  usernameFromUrl ? QString::fromUtf8(usernameFromUrl) : QString());
            if (filled) {
                m_offered << QStringLiteral("git credential helper");
                return git_credential_userpass_plaintext_new(out,
                                                             filled->username.toUtf8().constData(),
                                                             filled->password.toUtf8().constData());
            }
            qCInfo(lcAuth).noquote() << filled.error();
        }
    }
    if (m_offered.isEmpty()) {
        return refuse(
            ssh ? QStringLiteral("no SSH key to offer %1: start ssh-agent with your key, or set "
                                 "devlog.ssh_key")
                      .arg(m_url)
                : QStringLiteral("no credentials for %1: set devlog.token_env to the name of a "
                                 "variable holding a token, or configure a git credential helper")
                      .arg(m_url),
            GIT_EAUTH);
    }
    return refuse(QStringLiteral("%1 refused the credentials (offered: %2)")
                      .arg(m_url, m_offered.join(QStringLiteral(", "))),
                  GIT_EAUTH);
}

int RemoteAuth::certificate(git_cert *cert, int valid, const char *host)
{
    Q_UNUSED(valid)
    Q_UNUSED(host)
    if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) {
        return GIT_PASSTHROUGH; // TLS: libgit2 verifies against the system's certificates
    }
    const auto *hostKey = reinterpret_cast<const git_cert_hostkey *>(cert);
    const SshAddress address = sshAddress(m_url);
    const QString name = knownHostsName(address);
    if (!(hostKey->type & GIT_CERT_SSH_RAW) || !hostKey->hostkey) {
        return refuse(QStringLiteral("cannot check the SSH host key of %1: libgit2 did not pass "
                                     "the key")
                          .arg(name),
                      GIT_ECERTIFICATE);
    }
    const QByteArray blob(hostKey->hostkey, qsizetype(hostKey->hostkey_len));
    const QStringList files = defaultKnownHostsFiles();
    switch (checkKnownHost(files, name, blob)) {
    case HostKeyStatus::Known:
        return 0;
    case HostKeyStatus::Unknown:
        return refuse(
            QStringLiteral("the SSH host key of %1 is not in %2: connect once with "
                           "ssh%3 %4 to check and accept it")
                .arg(name, displayPath(files.first()),
                     address.port == 22 ? QString() : QStringLiteral(" -p %1").arg(address.port),
                     address.host),
            GIT_ECERTIFICATE);
    case HostKeyStatus::Changed:
        return refuse(QStringLiteral("the SSH host key of %1 differs from the one in "
                                     "known_hosts: someone may be in between, or the server "
                                     "changed its key; nothing was pushed")
                          .arg(name),
                      GIT_ECERTIFICATE);
    case HostKeyStatus::Revoked:
        break;
    }
    return refuse(
        QStringLiteral("the SSH host key of %1 is marked @revoked in known_hosts").arg(name),
        GIT_ECERTIFICATE);
}

} // namespace codeworm
