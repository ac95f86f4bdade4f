#include "store/Database.h"
#include "store/Migrations.h"
#include "store/Store.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace gh;

class TestStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
    }

    void freshStoreIsAtLatestVersionInWal()
    {
        Store store;
        QString error;
        QVERIFY2(store.open(m_tmp->path(), &error), qPrintable(error));
        QCOMPARE(store.database().userVersion(), Migrations::latestVersion());
        Statement s = store.database().prepare(QStringLiteral("PRAGMA journal_mode"));
        QVERIFY(s.next());
        QCOMPARE(s.text(0), QStringLiteral("wal"));
    }

    void migratesFromVersionOneKeepingData()
    {
        const QString path = m_tmp->filePath(QStringLiteral("old.db"));
        {
            Database db;
            QVERIFY(db.open(path));
            QString error;
            QVERIFY2(Migrations::migrate(db, &error, 1), qPrintable(error));
            QCOMPARE(db.userVersion(), 1);
            EntityRepository consumers(db, EntityKind::Consumer);
            QVERIFY(consumers.put(QStringLiteral("me"), QJsonObject{{"name", "me"}}));
            // Version 1 had no key table yet.
            QVERIFY(!db.exec(QStringLiteral("SELECT count(*) FROM consumer_keys")));
        }
        Store store;
        QString error;
        QVERIFY2(store.openFile(path, &error), qPrintable(error));
        QCOMPARE(store.database().userVersion(), Migrations::latestVersion());
        QCOMPARE(store.entities(EntityKind::Consumer).names(), QStringList{QStringLiteral("me")});
        ConsumerKey key{0, QStringLiteral("me"), QStringLiteral("abc"), QStringLiteral("gh-abcd"), {}, 0, 0, 0};
        QVERIFY2(store.consumerKeys().add(key), qPrintable(store.consumerKeys().lastError()));
        QCOMPARE(store.consumerKeys().list(QStringLiteral("me")).size(), 1);
    }

    void refusesNewerSchema()
    {
        const QString path = m_tmp->filePath(QStringLiteral("future.db"));
        {
            Database db;
            QVERIFY(db.open(path));
            QVERIFY(db.setUserVersion(Migrations::latestVersion() + 5));
        }
        Store store;
        QString error;
        QVERIFY(!store.openFile(path, &error));
        QVERIFY2(error.contains(QStringLiteral("newer than this Gatehouse understands")), qPrintable(error));
        QVERIFY(!store.isOpen());
    }

    void refusesNonDatabaseFile()
    {
        const QString path = m_tmp->filePath(QStringLiteral("garbage.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        Store store;
        QString error;
        QVERIFY(!store.openFile(path, &error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot open ")), qPrintable(error));
    }

    void entityRoundTripAndReplaceAll()
    {
        Store store;
        QString error;
        QVERIFY(store.open(m_tmp->path(), &error));
        EntityRepository &routes = store.entities(EntityKind::Route);
        const QJsonObject a{{"name", "a"}, {"service", "s"}, {"match", QJsonObject{{"paths", QJsonArray{"/a"}}}}};
        QVERIFY(routes.put(QStringLiteral("a"), a));
        QCOMPARE(routes.get(QStringLiteral("a")).value(), a);
        QVERIFY(!routes.get(QStringLiteral("zzz")).has_value());
        QVERIFY(routes.put(QStringLiteral("b"), QJsonObject{{"name", "b"}}));
        QCOMPARE(routes.names(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));

        Transaction tx(store.database());
        QVERIFY(routes.replaceAll({{QStringLiteral("c"), QJsonObject{{"name", "c"}}},
                                   {QStringLiteral("a"), QJsonObject{{"name", "a"}, {"x", 1}}}}));
        QVERIFY(tx.commit());
        QCOMPARE(routes.names(), (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
        QCOMPARE(routes.get(QStringLiteral("a"))->value(QStringLiteral("x")).toInt(), 1);
        QVERIFY(routes.remove(QStringLiteral("c")));
        QVERIFY(!routes.remove(QStringLiteral("c")));
        QVERIFY(routes.lastError().isEmpty());
    }

    void transactionRollsBackWhenNotCommitted()
    {
        Store store;
        QString error;
        QVERIFY(store.open(m_tmp->path(), &error));
        {
            Transaction tx(store.database());
            QVERIFY(store.entities(EntityKind::Service).put(QStringLiteral("s"), QJsonObject{{"name", "s"}}));
        }
        QVERIFY(store.entities(EntityKind::Service).names().isEmpty());
    }

    void settingsKeepTypes()
    {
        Store store;
        QString error;
        QVERIFY(store.open(m_tmp->path(), &error));
        const QJsonObject settings{{"ai_auth", "none"}, {"log_bodies", true}, {"log_retention_days", 7},
                                   {"cache", QJsonObject{{"max_mb", 64}}}};
        QVERIFY(store.settings().save(settings));
        QCOMPARE(store.settings().load(), settings);
    }

    void consumerKeysCascadeWithConsumer()
    {
        Store store;
        QString error;
        QVERIFY(store.open(m_tmp->path(), &error));
        QVERIFY(store.entities(EntityKind::Consumer).put(QStringLiteral("me"), QJsonObject{{"name", "me"}}));
        ConsumerKey key{0, QStringLiteral("me"), QStringLiteral("h1"), QStringLiteral("gh-1"), {}, 0, 0, 0};
        QVERIFY(store.consumerKeys().add(key));
        QVERIFY(key.id > 0);
        QVERIFY(store.consumerKeys().findByHash(QStringLiteral("h1")).has_value());
        // A key for a consumer that does not exist is refused by the foreign key.
        ConsumerKey orphan{0, QStringLiteral("ghost"), QStringLiteral("h2"), QStringLiteral("gh-2"), {}, 0, 0, 0};
        QVERIFY(!store.consumerKeys().add(orphan));
        QVERIFY(store.entities(EntityKind::Consumer).remove(QStringLiteral("me")));
        QVERIFY(!store.consumerKeys().findByHash(QStringLiteral("h1")).has_value());
    }

    void persistsAcrossReopen()
    {
        {
            Store store;
            QString error;
            QVERIFY(store.open(m_tmp->path(), &error));
            QVERIFY(store.entities(EntityKind::Provider).put(QStringLiteral("p"), QJsonObject{{"name", "p"}, {"type", "openai"}}));
        }
        Store store;
        QString error;
        QVERIFY(store.open(m_tmp->path(), &error));
        QCOMPARE(store.entities(EntityKind::Provider).get(QStringLiteral("p"))->value(QStringLiteral("type")).toString(),
                 QStringLiteral("openai"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
