#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <git2.h>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>

namespace codeworm {

// What `git credential fill` answered. Never logged.
struct HelperCredential
{
    QString username;
    QString password;
};

// Asks the user's git credential helpers for a URL's credentials by running
// `git credential fill` (libgit2 has no helper support; this is the one use of the git
// program). Terminal prompts are off: a daemon has no one to type.
Result<HelperCredential> gitCredentialFill(const QString &url, const QString &username = {},
                                           int timeoutMs = 60000);

// An SSH host key checked against OpenSSH known_hosts files (plain, wildcard and hashed host
// names, @revoked). libgit2 1.5 accepts any host key unless its caller checks.
enum class HostKeyStatus { Known, Unknown, Changed, Revoked };
// `host` as known_hosts writes it: "example.com", or "[example.com]:2222" off port 22.
HostKeyStatus checkKnownHost(const QStringList &knownHostsFiles, const QString &host,
                             const QByteArray &keyBlob);
// ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts.
QStringList defaultKnownHostsFiles();

// libgit2's credential and certificate callbacks for one connection to the DevLog's remote.
// Each way to authenticate is offered once, so a refused key cannot loop: the SSH agent, the
// configured key (else the default ones), an HTTPS token from the environment, the git
// credential helper. Secrets stay in memory and out of every message.
class RemoteAuth
{
public:
    RemoteAuth(const DevLogConfig &config, const QString &url,
               const std::atomic<bool> *cancel = nullptr);

    int credential(git_credential **out, const char *url, const char *usernameFromUrl,
                   unsigned int allowedTypes);
    int certificate(git_cert *cert, int valid, const char *host);

    // The credentials were all refused, or the host key was not accepted.
    bool refused() const { return m_refused; }
    QString failure() const { return m_failure; }
    // "ssh-agent, key ~/.ssh/id_ed25519": what was offered.
    QStringList offered() const { return m_offered; }

    // At most this many calls of the credential callback per connection.
    static constexpr int maxCredentialCalls = 8;

private:
    int refuse(const QString &message, int code);

    DevLogConfig m_config;
    QString m_url;
    const std::atomic<bool> *m_cancel;
    int m_calls = 0;
    bool m_agentOffered = false;
    bool m_keysListed = false;
    QStringList m_keys;
    bool m_tokenOffered = false;
    bool m_helperAsked = false;
    QStringList m_offered;
    bool m_refused = false;
    QString m_failure;
};

} // namespace codeworm
