#pragma once

#include "Gateway.h"

#include <QDebug>
#include <QJsonDocument>
#include <QTemporaryDir>

namespace gh::test {

// A real gateway on free loopback ports over a throwaway data dir, for widget tests.
struct TestGateway
{
    QTemporaryDir dir;
    Gateway gateway;

    bool start()
    {
        GatewayOptions options;
        options.dataDir = dir.path();
        options.listenPort = 0;
        options.adminPort = 0;
        options.workers = 1;
        if (!gateway.open(options) || !gateway.start()) {
            qWarning() << "gateway did not start:" << gateway.lastError();
            return false;
        }
        return true;
    }

    QJsonObject entity(EntityKind kind, const QString &name) const
    {
        const QList<QJsonObject> all = gateway.entities(kind);
        for (const QJsonObject &e : all) {
            if (e.value(QStringLiteral("name")).toString() == name)
                return e;
        }
        return {};
    }

    bool put(EntityKind kind, const QString &name, const QByteArray &json)
    {
        const ConfigService::Result result =
            gateway.putEntity(kind, name, QJsonDocument::fromJson(json).object());
        for (const ConfigProblem &problem : result.problems)
            qWarning() << problem.toString();
        return result.ok();
    }
};

} // namespace gh::test
