#include "llm/ProxyFactory.h"

#include <QHostAddress>
#include <QUrl>

#include <optional>

namespace codeworm {

namespace {

QString environment(const char *lower, const char *upper)
{
    QString value = qEnvironmentVariable(lower).trimmed();
    if (value.isEmpty()) {
        value = qEnvironmentVariable(upper).trimmed();
    }
    return value;
}

// no_proxy: comma-separated host names (a leading dot or "*." optional, matching the domain
// and its subdomains), optional ":port", or "*" for every host.
bool bypassed(const QString &host)
{
    const QString list = environment("no_proxy", "NO_PROXY");
    for (QString entry : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry == QLatin1String("*")) {
            return true;
        }
        if (entry.startsWith(QLatin1Char('[')) && entry.contains(QLatin1Char(']'))) {
            entry = entry.mid(1, entry.indexOf(QLatin1Char(']')) - 1);
        } else if (entry.count(QLatin1Char(':')) == 1) {
            entry = entry.section(QLatin1Char(':'), 0, 0);
        }
        if (entry.startsWith(QLatin1String("*."))) {
            entry.remove(0, 1);
        }
        if (entry.startsWith(QLatin1Char('.'))) {
            entry.remove(0, 1);
        }
        if (!entry.isEmpty() && (host == entry || host.endsWith(QLatin1Char('.') + entry))) {
            return true;
        }
    }
    return false;
}

std::optional<QNetworkProxy> parseProxy(const QString &spec)
{
    const QUrl url(spec.contains(QLatin1String("://")) ? spec : QStringLiteral("http://") + spec);
    if (!url.isValid() || url.host().isEmpty()) {
        return std::nullopt;
    }
    const QString scheme = url.scheme().toLower();
    const bool socks = scheme.startsWith(QLatin1String("socks"));
    QNetworkProxy proxy(
        socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, url.host(),
        quint16(url.port(socks ? 1080 : (scheme == QLatin1String("https") ? 443 : 80))),
        url.userName(), url.password());
    return proxy;
}

} // namespace

QList<QNetworkProxy> EnvironmentProxyFactory::queryProxy(const QNetworkProxyQuery &query)
{
    const QString host = query.peerHostName().toLower();
    if (isLoopbackHost(host)) {
        return {QNetworkProxy(QNetworkProxy::NoProxy)};
    }
    const QString scheme = query.url().scheme().toLower();
    QString spec = scheme == QLatin1String("https") ? environment("https_proxy", "HTTPS_PROXY")
                                                    : environment("http_proxy", "HTTP_PROXY");
    if (spec.isEmpty()) {
        spec = environment("all_proxy", "ALL_PROXY");
    }
    if (spec.isEmpty()) {
        return systemProxyForQuery(query);
    }
    if (bypassed(host)) {
        return {QNetworkProxy(QNetworkProxy::NoProxy)};
    }
    if (const auto proxy = parseProxy(spec)) {
        return {*proxy};
    }
    return {QNetworkProxy(QNetworkProxy::NoProxy)};
}

bool EnvironmentProxyFactory::isLoopbackHost(const QString &host)
{
    QString name = host.trimmed().toLower();
    if (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']'))) {
        name = name.mid(1, name.size() - 2);
    }
    if (name == QLatin1String("localhost") || name.endsWith(QLatin1String(".localhost"))) {
        return true;
    }
    const QHostAddress address(name);
    if (address.isNull()) {
        return false;
    }
    if (address.isLoopback()) {
        return true;
    }
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped);
    return mapped && QHostAddress(v4).isLoopback();
}

} // namespace codeworm
