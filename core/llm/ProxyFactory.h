#pragma once

#include <QNetworkProxyFactory>

namespace codeworm {

// The proxy for each request, from the environment as curl reads it: https_proxy/HTTPS_PROXY
// for https, http_proxy/HTTP_PROXY for http, else all_proxy/ALL_PROXY, except for hosts in
// no_proxy/NO_PROXY; without these variables, the system's settings. A loopback host is
// always reached directly: a local LLM server never goes through a proxy.
class EnvironmentProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;

    // "localhost", "*.localhost", 127.0.0.0/8, ::1 (and IPv4-mapped loopback).
    static bool isLoopbackHost(const QString &host);
};

} // namespace codeworm
