// The consumer key lifecycle behind the admin API and the desktop Consumers page.
#include "config/ConfigApplier.h"
#include "config/ConfigExporter.h"
#include "policy/ApiKey.h"
#include "policy/ConsumerKeyService.h"
#include "secrets/MemorySecretStore.h"
#include "secrets/SecretResolver.h"
#include "store/Store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace gh;

class TestConsumerKeyService : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 kNow = 1'800'000'000'000; // 2027-01-15

    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ConsumerKeyService> m_service;
    qint64 m_clock = kNow;

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        m_store = std::make_unique<Store>();
        QString error;
        QVERIFY2(m_store->open(m_tmp->path(), &error), qPrintable(error));
        QVERIFY(m_store->entities(EntityKind::Consumer)
                    .put(QStringLiteral("me"), QJsonObject{{"name", "me"}}));
        m_clock = kNow;
        m_service = std::make_unique<ConsumerKeyService>(*m_store);
        m_service->setClock([this] { return m_clock; });
    }

    void createStoresOnlyTheHash()
    {
        const ConsumerKeyService::Result created = m_service->create(QStringLiteral("me"));
        QCOMPARE(created.status, ConsumerKeyService::Status::Created);
        QVERIFY(ApiKey::isGenerated(created.rawKey));
        QCOMPARE(created.key.prefix, created.rawKey.left(9));
        QCOMPARE(created.key.createdAt, kNow);
        const QList<ConsumerKey> stored = m_store->consumerKeys().list(QStringLiteral("me"));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored[0].hash, ApiKey::hash(created.rawKey));
        QVERIFY(stored[0].reference.isEmpty());
        // The listing never carries the hash.
        const QJsonObject json = ConsumerKeyService::toJson(stored[0], kNow);
        QVERIFY(!json.contains(QStringLiteral("hash")));
        QVERIFY(!QJsonDocument(json).toJson().contains(stored[0].hash.toLatin1()));
        QCOMPARE(json[QStringLiteral("state")].toString(), QStringLiteral("active"));
        QCOMPARE(json[QStringLiteral("created_at")].toString(),
                 QStringLiteral("2027-01-15T08:00:00.000Z"));

        QCOMPARE(m_service->create(QStringLiteral("ghost")).status,
                 ConsumerKeyService::Status::NotFound);
        QCOMPARE(m_service->list(QStringLiteral("ghost")).status,
                 ConsumerKeyService::Status::NotFound);
    }

    void optionsParse()
    {
        ConsumerKeyService::Options options;
        QString error;
        QVERIFY(ConsumerKeyService::parseOptions({}, kNow, &options, &error));
        QCOMPARE(options.expiresAt, 0);
        QVERIFY(ConsumerKeyService::parseOptions(QJsonObject{{"expires_in_days", 2}}, kNow,
                                                 &options, &error));
        QCOMPARE(options.expiresAt, kNow + 2 * 24 * 3600 * 1000LL);
        QVERIFY(ConsumerKeyService::parseOptions(
            QJsonObject{{"expires_at", "2027-02-01T00:00:00+01:00"}}, kNow, &options, &error));
        QCOMPARE(options.expiresAt,
                 QDateTime::fromString(QStringLiteral("2027-01-31T23:00:00Z"), Qt::ISODate)
                     .toMSecsSinceEpoch());
        // No offset: UTC.
        QVERIFY(ConsumerKeyService::parseOptions(QJsonObject{{"expires_at", "2027-02-01T00:00:00"}},
                                                 kNow, &options, &error));
        QCOMPARE(options.expiresAt,
                 QDateTime::fromString(QStringLiteral("2027-02-01T00:00:00Z"), Qt::ISODate)
                     .toMSecsSinceEpoch());

        const QList<std::pair<QJsonObject, QString>> bad{
            {QJsonObject{{"expires_at", "2027-01-15T07:59:59Z"}},
             QStringLiteral("not in the future")},
            {QJsonObject{{"expires_at", 12}}, QStringLiteral("ISO 8601")},
            {QJsonObject{{"expires_in_days", -1}}, QStringLiteral("whole number")},
            {QJsonObject{{"expires_in_days", "3"}}, QStringLiteral("whole number")},
            {QJsonObject{{"expires_in_days", 3}, {"expires_at", "2030-01-01T00:00:00Z"}},
             QStringLiteral("not both")},
            {QJsonObject{{"label", "x"}}, QStringLiteral("unknown field \"label\"")},
        };
        for (const auto &[body, message] : bad) {
            error.clear();
            QVERIFY(!ConsumerKeyService::parseOptions(body, kNow, &options, &error));
            QVERIFY2(error.contains(message), qPrintable(error));
        }
        int grace = -1;
        QVERIFY(ConsumerKeyService::parseRotation(QJsonObject{{"grace_s", 60}}, kNow, &options,
                                                  &grace, &error));
        QCOMPARE(grace, 60);
        QVERIFY(!ConsumerKeyService::parseRotation(QJsonObject{{"grace_s", 30 * 24 * 3600 + 1}},
                                                   kNow, &options, &grace, &error));
        QVERIFY(error.contains(QStringLiteral("grace_s")));
    }

    void revokeIsFinal()
    {
        const ConsumerKeyService::Result created = m_service->create(QStringLiteral("me"));
        const QString prefix = created.key.prefix;
        QCOMPARE(m_service->revoke(QStringLiteral("me"), QStringLiteral("gh-nope00")).status,
                 ConsumerKeyService::Status::NotFound);
        const ConsumerKeyService::Result revoked = m_service->revoke(QStringLiteral("me"), prefix);
        QCOMPARE(revoked.status, ConsumerKeyService::Status::Ok);
        QCOMPARE(revoked.key.revokedAt, kNow);
        QCOMPARE(
            ConsumerKeyService::state(m_store->consumerKeys().list(QStringLiteral("me"))[0], kNow),
            QStringLiteral("revoked"));
        const ConsumerKeyService::Result again = m_service->revoke(QStringLiteral("me"), prefix);
        QCOMPARE(again.status, ConsumerKeyService::Status::Conflict);
        QVERIFY2(again.message.contains(QStringLiteral("already revoked")),
                 qPrintable(again.message));
        QCOMPARE(m_service->rotate(QStringLiteral("me"), prefix, 0).status,
                 ConsumerKeyService::Status::Conflict);
    }

    void rotateRevokesAfterTheGrace()
    {
        const ConsumerKeyService::Result first = m_service->create(QStringLiteral("me"));
        const ConsumerKeyService::Result rotated =
            m_service->rotate(QStringLiteral("me"), first.key.prefix, 60);
        QCOMPARE(rotated.status, ConsumerKeyService::Status::Created);
        QVERIFY(rotated.rawKey != first.rawKey);
        QCOMPARE(rotated.previous.revokedAt, kNow + 60'000);
        const QList<ConsumerKey> keys = m_store->consumerKeys().list(QStringLiteral("me"));
        QCOMPARE(keys.size(), 2);
        QCOMPARE(ConsumerKeyService::state(keys[0], kNow), QStringLiteral("revoking"));
        QCOMPARE(ConsumerKeyService::state(keys[0], kNow + 60'000), QStringLiteral("revoked"));
        QCOMPARE(ConsumerKeyService::state(keys[1], kNow), QStringLiteral("active"));
        // Still in its grace: rotating again is refused, revoking cuts it off now.
        QCOMPARE(m_service->rotate(QStringLiteral("me"), first.key.prefix, 0).status,
                 ConsumerKeyService::Status::Conflict);
        m_clock += 1000;
        const ConsumerKeyService::Result cut =
            m_service->revoke(QStringLiteral("me"), first.key.prefix);
        QCOMPARE(cut.status, ConsumerKeyService::Status::Ok);
        QCOMPARE(cut.key.revokedAt, kNow + 1000);
    }

    void expiredState()
    {
        const ConsumerKeyService::Result created =
            m_service->create(QStringLiteral("me"), {kNow + 5000});
        QCOMPARE(created.key.expiresAt, kNow + 5000);
        QCOMPARE(ConsumerKeyService::state(created.key, kNow + 4999), QStringLiteral("active"));
        QCOMPARE(ConsumerKeyService::state(created.key, kNow + 5000), QStringLiteral("expired"));
    }

    void reapplyingTheExportKeepsRevocationAndExpiry()
    {
        // Keys are compared with the wall clock by the exporter, so use real times here.
        m_clock = QDateTime::currentMSecsSinceEpoch();
        const ConsumerKeyService::Result revoked = m_service->create(QStringLiteral("me"));
        QCOMPARE(m_service->revoke(QStringLiteral("me"), revoked.key.prefix).status,
                 ConsumerKeyService::Status::Ok);
        const qint64 expiry = m_clock + 3600'000;
        const ConsumerKeyService::Result expiring =
            m_service->create(QStringLiteral("me"), {expiry});

        ConfigExporter exporter(*m_store);
        const QJsonObject exported = exporter.exportAll();
        QVERIFY(!QJsonDocument(exported).toJson().contains(expiring.rawKey.toUtf8()));
        const QJsonArray keys =
            exported[QStringLiteral("consumers")][0][QStringLiteral("keys")].toArray();
        QCOMPARE(keys.size(), 1); // the revoked one is left out
        QCOMPARE(keys[0].toString(), QStringLiteral("sha256:") + expiring.key.hash);

        // The revoked key still listed in a config file stays revoked.
        QJsonObject root = exported;
        QJsonArray withRevoked = keys;
        withRevoked.append(QStringLiteral("sha256:") + revoked.key.hash);
        QJsonObject consumer = root[QStringLiteral("consumers")][0].toObject();
        consumer.insert(QStringLiteral("keys"), withRevoked);
        root.insert(QStringLiteral("consumers"), QJsonArray{consumer});
        MemorySecretStore secrets;
        const SecretResolver resolver(&secrets, QProcessEnvironment());
        const ConfigApplier::Result applied = ConfigApplier(*m_store, resolver).apply(root);
        QVERIFY(applied.ok);
        const QList<ConsumerKey> after = m_store->consumerKeys().list(QStringLiteral("me"));
        QCOMPARE(after.size(), 2);
        QCOMPARE(after[0].hash, expiring.key.hash);
        QCOMPARE(after[0].expiresAt, expiry);
        QCOMPARE(after[0].prefix, expiring.key.prefix);
        QCOMPARE(after[1].hash, revoked.key.hash);
        QVERIFY(after[1].revokedAt != 0);
    }
};

QTEST_GUILESS_MAIN(TestConsumerKeyService)
#include "tst_consumerkeyservice.moc"
