// The Policies panel of the route editor: every policy set through the real widgets,
// saved through Gateway::putEntity and checked in the store (and, where it matters,
// by a request to the running gateway); untouched policies round-trip exactly; every
// rejection shows its problem at the field and saves nothing.
#include "EntityEditorPage.h"
#include "EntityForm.h"
#include "Gateway.h"
#include "HttpClient.h"
#include "MainWindow.h"
#include "NumberEdit.h"
#include "ProblemDisplay.h"
#include "RouteForm.h"
#include "RoutePoliciesPanel.h"
#include "ScriptedUpstream.h"
#include "SettingsPage.h"
#include "StringListEdit.h"
#include "ValuePicker.h"
#include "cache/ResponseCache.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkProxy>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include "TestGateway.h"
#include "WidgetHelpers.h"

using namespace gh;
using namespace gh::test;

class TestRoutePolicies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void everyPolicyIsShownAndRoundTripsUntouched();
    void newRouteWritesNoPolicyDefaults();
    void jwtThroughThePanel();
    void consumersAclThroughThePanel();
    void rateLimitThroughThePanel();
    void cacheThroughThePanelAndPurgeButton();
    void corsThroughThePanel();
    void ipRulesThroughThePanel();
    void uncheckingRemovesPolicies();
    void rejectionsShowAtTheFieldAndSaveNothing_data();
    void rejectionsShowAtTheFieldAndSaveNothing();
    void plainJwtSecretNeverReachesTheStore();
    void numberEditKeepsWhatItRead();
};

namespace {

// 64 bytes: enough for HS512.
const QByteArray JwtSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

// A running gateway with a service on a scripted upstream, and the Routes page.
struct Fixture
{
    Fixture()
        : upstream([](const SeenRequest &) {
            return UpstreamReply::respond(200, "pong", {{"Content-Type", "text/plain"}});
        })
    {
        ok = upstream.start() && g.start() &&
             g.put(EntityKind::Service, QStringLiteral("pong"),
                   QStringLiteral(R"({"targets":[{"url":"%1"}]})").arg(upstream.url()).toUtf8()) &&
             g.put(EntityKind::Consumer, QStringLiteral("alice"), "{}") &&
             g.put(EntityKind::Consumer, QStringLiteral("bob"), "{}");
        window = std::make_unique<MainWindow>(&g.gateway);
        window->resize(1000, 900);
        window->show();
        window->showPage(MainWindow::Page::Routes);
        page = qobject_cast<EntityEditorPage *>(window->pageWidget(MainWindow::Page::Routes));
    }

    // A plain route (auth none, no policies) selected in the editor.
    bool openRoute(const QByteArray &route = R"({"match":{"paths":["/ping"]},"service":"pong",)"
                                             R"("auth":"none"})")
    {
        return g.put(EntityKind::Route, QStringLiteral("ping"), route) &&
               page->selectEntity(QStringLiteral("ping"));
    }

    QJsonObject stored() const { return g.entity(EntityKind::Route, QStringLiteral("ping")); }
    bool save() { return page->save(); }
    template <typename T> T *w(const char *name) { return child<T>(page, name); }
    QGroupBox *box(const char *name) { return w<QGroupBox>(name); }
    void setAuth(const QString &mode)
    {
        auto *auth = w<QComboBox>("authCombo");
        auth->setCurrentIndex(auth->findData(mode));
    }
    HttpResult get(const QString &path,
                   const QList<std::pair<QByteArray, QByteArray>> &headers = {},
                   const QByteArray &method = "GET")
    {
        return HttpClient::request(method, g.gateway.gatewayUrl() + path, {}, headers);
    }

    ScriptedUpstream upstream;
    TestGateway g;
    bool ok = false;
    std::unique_ptr<MainWindow> window;
    EntityEditorPage *page = nullptr;
};

// Every policy with every field, some in the less usual forms (audience as a string,
// forward_token written as false, an empty deny list).
const QByteArray FullRoute = R"({
  "match": {"paths": ["/ping"]}, "service": "pong", "auth": "jwt",
  "jwt": {"algorithms": ["HS256"], "secret": "${env:GH_TEST_ROUTE_JWT}", "issuer": "https://id.example/",
          "audience": "api", "leeway_s": 30, "forward_token": false},
  "consumers": ["alice"],
  "rate_limit": {"requests_per_second": 0.5, "burst": 3, "concurrent": 2},
  "cache": {"ttl_s": 60},
  "cors": {"origins": ["https://app.example", "http://localhost:3000"], "methods": ["POST", "GET"],
           "headers": ["content-type"], "expose_headers": ["x-gatehouse-request-id"],
           "credentials": true, "max_age_s": 120},
  "ip": {"allow": ["10.0.0.0/8", "::1", "127.0.0.1"], "deny": []}
})";

} // namespace

void TestRoutePolicies::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    qputenv("GH_TEST_ROUTE_JWT", JwtSecret);
}

void TestRoutePolicies::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestRoutePolicies::everyPolicyIsShownAndRoundTripsUntouched()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute(FullRoute));
    const QJsonObject before = f.stored();

    // Shown as stored.
    QCOMPARE(f.w<QComboBox>("authCombo")->currentData().toString(), QStringLiteral("jwt"));
    QVERIFY(f.w<QWidget>("jwtBox")->isVisible());
    QVERIFY(f.w<QCheckBox>("jwtHS256Check")->isChecked());
    QVERIFY(!f.w<QCheckBox>("jwtRS256Check")->isChecked());
    QCOMPARE(f.w<QLineEdit>("jwtSecretEdit")->text(), QStringLiteral("${env:GH_TEST_ROUTE_JWT}"));
    QCOMPARE(f.w<QLineEdit>("jwtSecretEdit")->echoMode(), QLineEdit::Normal); // a reference
    QCOMPARE(f.w<QLineEdit>("jwtIssuerEdit")->text(), QStringLiteral("https://id.example/"));
    QCOMPARE(f.w<StringListEdit>("jwtAudienceEdit")->values(), QStringList{QStringLiteral("api")});
    QCOMPARE(f.w<QLineEdit>("jwtLeewayEdit")->text(), QStringLiteral("30"));
    QVERIFY(!f.w<QCheckBox>("jwtForwardCheck")->isChecked());
    QCOMPARE(f.w<StringListEdit>("consumersEdit")->values(), QStringList{QStringLiteral("alice")});
    QVERIFY(f.box("rateLimitBox")->isChecked());
    QCOMPARE(f.w<QLineEdit>("rateLimitPerSecondEdit")->text(), QStringLiteral("0.5"));
    QCOMPARE(f.w<QLineEdit>("rateLimitPerMinuteEdit")->text(), QString());
    QCOMPARE(f.w<QLineEdit>("rateLimitBurstEdit")->text(), QStringLiteral("3"));
    QCOMPARE(f.w<QLineEdit>("rateLimitConcurrentEdit")->text(), QStringLiteral("2"));
    QVERIFY(f.box("cacheBox")->isChecked());
    QCOMPARE(f.w<QLineEdit>("cacheTtlEdit")->text(), QStringLiteral("60"));
    QVERIFY(f.box("corsBox")->isChecked());
    QCOMPARE(f.w<StringListEdit>("corsOriginsEdit")->values(),
             QStringList(
                 {QStringLiteral("https://app.example"), QStringLiteral("http://localhost:3000")}));
    QCOMPARE(f.w<QLineEdit>("corsMethodsEdit")->text(), QStringLiteral("POST, GET"));
    QCOMPARE(f.w<QLineEdit>("corsHeadersEdit")->text(), QStringLiteral("content-type"));
    QCOMPARE(f.w<QLineEdit>("corsExposeHeadersEdit")->text(),
             QStringLiteral("x-gatehouse-request-id"));
    QVERIFY(f.w<QCheckBox>("corsCredentialsCheck")->isChecked());
    QCOMPARE(f.w<QLineEdit>("corsMaxAgeEdit")->text(), QStringLiteral("120"));
    QVERIFY(f.box("ipBox")->isChecked());
    QCOMPARE(f.w<StringListEdit>("ipAllowEdit")->values(),
             QStringList({QStringLiteral("10.0.0.0/8"), QStringLiteral("::1"),
                          QStringLiteral("127.0.0.1")}));
    QVERIFY(f.w<StringListEdit>("ipDenyEdit")->values().isEmpty());
    QVERIFY(!f.page->form()->isDirty());
    maybeScreenshot(f.window.get(), QStringLiteral("route-policies"));
    maybeScreenshot(f.page->form(), QStringLiteral("route-policies-form")); // all of it

    // Unchanged, the form writes the stored route back as it is.
    QCOMPARE(f.page->form()->entity(), before);

    // An edit elsewhere saves the policies exactly as they were.
    typeInto(f.w<QLineEdit>("versionEdit"), QStringLiteral("v2"));
    QVERIFY(f.save());
    QJsonObject expected = before;
    expected.insert(QStringLiteral("version"), QStringLiteral("v2"));
    QCOMPARE(f.stored(), expected);
}

void TestRoutePolicies::newRouteWritesNoPolicyDefaults()
{
    Fixture f;
    QVERIFY(f.ok);
    QTest::mouseClick(button(f.page, "newButton"), Qt::LeftButton);
    typeInto(f.w<QLineEdit>("nameEdit"), QStringLiteral("ping"));
    typeInto(f.w<StringListEdit>("pathsEdit"), QStringLiteral("/ping"));
    for (const char *name : {"rateLimitBox", "cacheBox", "corsBox", "ipBox"})
        QVERIFY2(!f.box(name)->isChecked(), name);
    QVERIFY(!f.w<QWidget>("jwtBox")->isVisible()); // key is the default
    QVERIFY(f.save());
    const QJsonObject stored = f.stored();
    for (const char *name : {"jwt", "rate_limit", "cache", "cors", "ip"})
        QVERIFY2(!stored.contains(QLatin1String(name)), name);
    QCOMPARE(stored.value(QStringLiteral("auth")).toString(), QStringLiteral("key"));
    QCOMPARE(stored.value(QStringLiteral("consumers")).toArray(), QJsonArray{QStringLiteral("*")});
}

void TestRoutePolicies::jwtThroughThePanel()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    QVERIFY(!f.w<QWidget>("jwtBox")->isVisible());
    f.setAuth(QStringLiteral("jwt"));
    QVERIFY(f.w<QWidget>("jwtBox")->isVisible());
    QTest::mouseClick(f.w<QCheckBox>("jwtHS256Check"), Qt::LeftButton);
    QTest::mouseClick(f.w<QCheckBox>("jwtHS384Check"), Qt::LeftButton);
    typeInto(f.w<QLineEdit>("jwtSecretEdit"), QStringLiteral("${env:GH_TEST_ROUTE_JWT}"));
    typeInto(f.w<QLineEdit>("jwtIssuerEdit"), QStringLiteral("https://id.example/"));
    f.w<StringListEdit>("jwtAudienceEdit")->setPlainText(QStringLiteral("api\nbilling"));
    typeInto(f.w<QLineEdit>("jwtLeewayEdit"), QStringLiteral("0"));
    QTest::mouseClick(f.w<QCheckBox>("jwtForwardCheck"), Qt::LeftButton);
    QVERIFY(f.save());
    QJsonObject stored = f.stored();
    QCOMPARE(stored.value(QStringLiteral("auth")).toString(), QStringLiteral("jwt"));
    QCOMPARE(stored.value(QStringLiteral("jwt")).toObject(),
             json(R"({"algorithms":["HS256","HS384"],"secret":"${env:GH_TEST_ROUTE_JWT}",)"
                  R"("issuer":"https://id.example/","audience":["api","billing"],)"
                  R"("leeway_s":0,"forward_token":true})"));

    // The gateway takes it: no token is 401, not 500 (the keys resolved).
    HttpResult answer = f.get(QStringLiteral("/ping"));
    QCOMPARE(answer.status, 401);
    QCOMPARE(answer.json()[QStringLiteral("error")][QStringLiteral("code")].toString(),
             QStringLiteral("missing_token"));

    // Back to key: the JWT settings stay for a later switch, as they were.
    const QJsonObject jwt = stored.value(QStringLiteral("jwt")).toObject();
    f.setAuth(QStringLiteral("key"));
    QVERIFY(!f.w<QWidget>("jwtBox")->isVisible());
    QVERIFY(f.save());
    stored = f.stored();
    QCOMPARE(stored.value(QStringLiteral("auth")).toString(), QStringLiteral("key"));
    QCOMPARE(stored.value(QStringLiteral("jwt")).toObject(), jwt);

    // Optional fields emptied are removed, not written empty.
    f.setAuth(QStringLiteral("jwt"));
    f.w<QLineEdit>("jwtIssuerEdit")->clear();
    f.w<StringListEdit>("jwtAudienceEdit")->clear();
    f.w<QLineEdit>("jwtLeewayEdit")->clear();
    QTest::mouseClick(f.w<QCheckBox>("jwtHS384Check"), Qt::LeftButton);
    QVERIFY(f.save());
    QCOMPARE(f.stored().value(QStringLiteral("jwt")).toObject(),
             json(R"({"algorithms":["HS256"],"secret":"${env:GH_TEST_ROUTE_JWT}",)"
                  R"("forward_token":true})"));
}

void TestRoutePolicies::consumersAclThroughThePanel()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    auto *consumers = f.w<StringListEdit>("consumersEdit");
    auto *picker = f.w<ValuePicker>("consumerPicker");
    // Without authentication there is nobody to name.
    QVERIFY(!consumers->isEnabled());
    f.setAuth(QStringLiteral("key"));
    QVERIFY(consumers->isEnabled());
    QCOMPARE(picker->choices(),
             QStringList({QStringLiteral("*"), QStringLiteral("alice"), QStringLiteral("bob")}));
    consumers->clear();
    picker->pick(QStringLiteral("bob"));
    picker->pick(QStringLiteral("alice"));
    picker->pick(QStringLiteral("bob")); // listed once
    QCOMPARE(consumers->values(), QStringList({QStringLiteral("bob"), QStringLiteral("alice")}));
    QVERIFY(f.save());
    QCOMPARE(f.stored().value(QStringLiteral("consumers")).toArray(),
             QJsonArray({QStringLiteral("bob"), QStringLiteral("alice")}));
    QCOMPARE(f.stored().value(QStringLiteral("auth")).toString(), QStringLiteral("key"));

    // A consumer added elsewhere shows up in the picker.
    QVERIFY(f.g.put(EntityKind::Consumer, QStringLiteral("carol"), "{}"));
    QVERIFY(picker->choices().contains(QStringLiteral("carol")));
}

void TestRoutePolicies::rateLimitThroughThePanel()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    f.box("rateLimitBox")->setChecked(true);
    QVERIFY(f.page->form()->isDirty());
    typeInto(f.w<QLineEdit>("rateLimitPerMinuteEdit"), QStringLiteral("2"));
    typeInto(f.w<QLineEdit>("rateLimitBurstEdit"), QStringLiteral("x1")); // letters do not type
    typeInto(f.w<QLineEdit>("rateLimitConcurrentEdit"), QStringLiteral("4"));
    QVERIFY(f.save());
    QCOMPARE(f.stored().value(QStringLiteral("rate_limit")).toObject(),
             json(R"({"requests_per_minute":2,"burst":1,"concurrent":4})"));

    // It limits: the burst of one is used up by the first request.
    QCOMPARE(f.get(QStringLiteral("/ping")).status, 200);
    const HttpResult limited = f.get(QStringLiteral("/ping"));
    QCOMPARE(limited.status, 429);
    QVERIFY(!limited.header("retry-after").isEmpty());

    // Fractional rates per second.
    f.w<QLineEdit>("rateLimitPerMinuteEdit")->clear();
    typeInto(f.w<QLineEdit>("rateLimitPerSecondEdit"), QStringLiteral("0.25"));
    QVERIFY(f.save());
    QCOMPARE(f.stored().value(QStringLiteral("rate_limit")).toObject(),
             json(R"({"requests_per_second":0.25,"burst":1,"concurrent":4})"));
}

void TestRoutePolicies::cacheThroughThePanelAndPurgeButton()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    f.box("cacheBox")->setChecked(true);
    typeInto(f.w<QLineEdit>("cacheTtlEdit"), QStringLiteral("60"));
    QVERIFY(f.save());
    QCOMPARE(f.stored().value(QStringLiteral("cache")).toObject(), json(R"({"ttl_s":60})"));

    QCOMPARE(f.get(QStringLiteral("/ping")).header("x-gatehouse-cache"), QByteArray("MISS"));
    HttpResult hit = f.get(QStringLiteral("/ping"));
    QCOMPARE(hit.header("x-gatehouse-cache"), QByteArray("HIT"));
    QCOMPARE(hit.body, QByteArray("pong"));
    QCOMPARE(f.upstream.requests(), 1);
    QCOMPARE(f.g.gateway.responseCache().count(), 1);

    // Settings → Purge Response Cache empties it and says how much went.
    f.window->showPage(MainWindow::Page::Settings);
    QWidget *settings = f.window->pageWidget(MainWindow::Page::Settings);
    auto *purge = button(settings, "purgeCacheButton");
    QVERIFY(purge->isVisible());
    QTest::mouseClick(purge, Qt::LeftButton);
    auto *result = child<QLabel>(settings, "purgeCacheResult");
    QVERIFY(result->isVisible());
    QCOMPARE(result->text(), QStringLiteral("Removed 1 cached response(s)."));
    QCOMPARE(f.g.gateway.responseCache().count(), 0);
    QCOMPARE(f.get(QStringLiteral("/ping")).header("x-gatehouse-cache"), QByteArray("MISS"));
    QCOMPARE(f.upstream.requests(), 2);

    // Twice in a row: nothing left the second time.
    QCOMPARE(f.g.gateway.responseCache().count(), 1);
    QTest::mouseClick(purge, Qt::LeftButton);
    QTest::mouseClick(purge, Qt::LeftButton);
    QCOMPARE(result->text(), QStringLiteral("Removed 0 cached response(s)."));
}

void TestRoutePolicies::corsThroughThePanel()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    f.box("corsBox")->setChecked(true);
    f.w<StringListEdit>("corsOriginsEdit")
        ->setPlainText(QStringLiteral("https://app.example\nhttp://localhost:3000"));
    typeInto(f.w<QLineEdit>("corsMethodsEdit"), QStringLiteral("GET, POST"));
    typeInto(f.w<QLineEdit>("corsHeadersEdit"), QStringLiteral("content-type authorization"));
    typeInto(f.w<QLineEdit>("corsExposeHeadersEdit"), QStringLiteral("x-gatehouse-request-id"));
    QTest::mouseClick(f.w<QCheckBox>("corsCredentialsCheck"), Qt::LeftButton);
    typeInto(f.w<QLineEdit>("corsMaxAgeEdit"), QStringLiteral("120"));
    QVERIFY(f.save());
    QCOMPARE(
        f.stored().value(QStringLiteral("cors")).toObject(),
        json(R"({"origins":["https://app.example","http://localhost:3000"],)"
             R"("methods":["GET","POST"],"headers":["content-type","authorization"],)"
             R"("expose_headers":["x-gatehouse-request-id"],"credentials":true,"max_age_s":120})"));

    // The gateway answers the preflight itself.
    const HttpResult preflight = f.get(
        QStringLiteral("/ping"),
        {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}}, "OPTIONS");
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("access-control-allow-origin"), QByteArray("https://app.example"));
    QCOMPARE(preflight.header("access-control-max-age"), QByteArray("120"));
    QCOMPARE(preflight.header("access-control-allow-credentials"), QByteArray("true"));
    QCOMPARE(f.upstream.requests(), 0);

    // Credentials off again: written as false (it was there), not dropped.
    QTest::mouseClick(f.w<QCheckBox>("corsCredentialsCheck"), Qt::LeftButton);
    QVERIFY(f.save());
    QCOMPARE(f.stored()[QStringLiteral("cors")][QStringLiteral("credentials")], QJsonValue(false));
}

void TestRoutePolicies::ipRulesThroughThePanel()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    f.box("ipBox")->setChecked(true);
    f.w<StringListEdit>("ipAllowEdit")->setPlainText(QStringLiteral("10.0.0.0/8\n::1"));
    f.w<StringListEdit>("ipDenyEdit")->setPlainText(QStringLiteral("127.0.0.1"));
    QVERIFY(f.save());
    QCOMPARE(f.stored().value(QStringLiteral("ip")).toObject(),
             json(R"({"allow":["10.0.0.0/8","::1"],"deny":["127.0.0.1"]})"));
    const HttpResult refused = f.get(QStringLiteral("/ping"));
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.json()[QStringLiteral("error")][QStringLiteral("code")].toString(),
             QStringLiteral("ip_not_allowed"));

    // Deny emptied, loopback allowed: served again.
    f.w<StringListEdit>("ipDenyEdit")->clear();
    f.w<StringListEdit>("ipAllowEdit")->setPlainText(QStringLiteral("127.0.0.0/8"));
    QVERIFY(f.save());
    QCOMPARE(f.stored().value(QStringLiteral("ip")).toObject(),
             json(R"({"allow":["127.0.0.0/8"]})"));
    QCOMPARE(f.get(QStringLiteral("/ping")).status, 200);
}

void TestRoutePolicies::uncheckingRemovesPolicies()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute(FullRoute));
    const QJsonObject before = f.stored();
    const QList<const char *> boxes{"rateLimitBox", "cacheBox", "corsBox", "ipBox"};

    // Unchecked and checked again before saving: the fields kept what they had.
    for (const char *name : boxes)
        f.box(name)->setChecked(false);
    QVERIFY(f.page->form()->isDirty());
    for (const char *name : boxes)
        f.box(name)->setChecked(true);
    QVERIFY(!f.page->form()->isDirty());
    QCOMPARE(f.page->form()->entity(), before);

    for (const char *name : boxes)
        f.box(name)->setChecked(false);
    QVERIFY2(f.save(), qPrintable(child<QLabel>(f.page, "problemSummary")->text()));
    QJsonObject expected = before;
    for (const char *name : {"rate_limit", "cache", "cors", "ip"})
        expected.remove(QLatin1String(name));
    QCOMPARE(f.stored(), expected);
    // The form shows what is stored now: the boxes are off and empty.
    for (const char *name : boxes)
        QVERIFY2(!f.box(name)->isChecked(), name);
    QVERIFY(f.w<StringListEdit>("corsOriginsEdit")->values().isEmpty());
}

void TestRoutePolicies::rejectionsShowAtTheFieldAndSaveNothing_data()
{
    // auth: switch to it first; box: check it; edits: "objectName=text" typed or set;
    // error: the message label that must show `message`; marked: the widget drawn red.
    QTest::addColumn<QString>("auth");
    QTest::addColumn<QString>("box");
    QTest::addColumn<QStringList>("edits");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("marked");

    const auto row = [](const char *name, const char *auth, const char *box,
                        const QStringList &edits, const char *error, const QString &message,
                        const char *marked) {
        QTest::newRow(name) << QString::fromLatin1(auth) << QString::fromLatin1(box) << edits
                            << QString::fromLatin1(error) << message << QString::fromLatin1(marked);
    };
    row("bad CIDR in allow", "", "ipBox", {QStringLiteral("ipAllowEdit=10.0.0.0/8\n10.0.0.300/8")},
        "ipAllowError",
        QStringLiteral("“10.0.0.300/8”: \"10.0.0.300/8\" is not an IP address or CIDR range"),
        "ipAllowEdit");
    row("bad entry in deny", "", "ipBox", {QStringLiteral("ipDenyEdit=localhost")}, "ipDenyError",
        QStringLiteral("“localhost”: \"localhost\" is not an IP address or CIDR range"),
        "ipDenyEdit");
    row("origin without scheme", "", "corsBox", {QStringLiteral("corsOriginsEdit=app.example")},
        "corsOriginsError",
        QStringLiteral("“app.example”: must be \"*\" or an origin like https://example.com"),
        "corsOriginsEdit");
    row("origin with a path", "", "corsBox",
        {QStringLiteral("corsOriginsEdit=*\nhttps://app.example/x")}, "corsOriginsError",
        QStringLiteral("“https://app.example/x”: must be \"*\" or an origin"), "corsOriginsEdit");
    row("CORS without origins", "", "corsBox", {}, "corsOriginsError",
        QStringLiteral("is required"), "corsOriginsEdit");
    row("unknown CORS method", "", "corsBox",
        {QStringLiteral("corsOriginsEdit=*"), QStringLiteral("corsMethodsEdit=GET, FETCH")},
        "corsMethodsError", QStringLiteral("“FETCH”: unknown HTTP method \"FETCH\""),
        "corsMethodsEdit");
    row("bad CORS header", "", "corsBox",
        {QStringLiteral("corsOriginsEdit=*"), QStringLiteral("corsHeadersEdit=x(y)")},
        "corsHeadersError", QStringLiteral("\"x(y)\" is not a header name"), "corsHeadersEdit");
    row("credentials with any origin", "", "corsBox",
        {QStringLiteral("corsOriginsEdit=*"), QStringLiteral("corsCredentialsCheck=on")},
        "corsCredentialsError", QStringLiteral("cannot be true with origin \"*\""),
        "corsCredentialsCheck");
    row("CORS max age too long", "", "corsBox",
        {QStringLiteral("corsOriginsEdit=*"), QStringLiteral("corsMaxAgeEdit=86401")},
        "corsMaxAgeError", QStringLiteral("must be between 0 and 86400"), "corsMaxAgeEdit");
    row("rate limit 0 per second", "", "rateLimitBox", {QStringLiteral("rateLimitPerSecondEdit=0")},
        "rateLimitPerSecondError", QStringLiteral("must be greater than 0"),
        "rateLimitPerSecondEdit");
    row("rate limit 0 per minute", "", "rateLimitBox", {QStringLiteral("rateLimitPerMinuteEdit=0")},
        "rateLimitPerMinuteError", QStringLiteral("must be greater than 0"),
        "rateLimitPerMinuteEdit");
    row("negative burst", "", "rateLimitBox",
        {QStringLiteral("rateLimitPerSecondEdit=5"), QStringLiteral("rateLimitBurstEdit=-1")},
        "rateLimitBurstError", QStringLiteral("must be greater than 0"), "rateLimitBurstEdit");
    row("rate limit that limits nothing", "", "rateLimitBox",
        {QStringLiteral("rateLimitBurstEdit=5")}, "rateLimitError",
        QStringLiteral("needs requests_per_second, requests_per_minute or concurrent"),
        "rateLimitBox");
    row("cache ttl 0", "", "cacheBox", {QStringLiteral("cacheTtlEdit=0")}, "cacheTtlError",
        QStringLiteral("must be greater than 0"), "cacheTtlEdit");
    row("cache without ttl", "", "cacheBox", {}, "cacheTtlError", QStringLiteral("is required"),
        "cacheTtlEdit");
    row("jwt without settings", "jwt", "", {}, "jwtError",
        QStringLiteral("is required when auth is jwt"), "jwtBox");
    row("jwt without keys", "jwt", "", {QStringLiteral("jwtIssuerEdit=https://id.example/")},
        "jwtError", QStringLiteral("needs a secret or a public_key"), "jwtBox");
    row("jwt secret not a reference", "jwt", "",
        {QStringLiteral("jwtSecretEdit=a-plain-secret-of-enough-length-12345")}, "jwtSecretError",
        QStringLiteral("Gatehouse never stores a key in plain text"), "jwtSecretEdit");
    row("jwt public key as a relative file", "jwt", "",
        {QStringLiteral("jwtPublicKeyEdit=${file:idp.pem}")}, "jwtPublicKeyError",
        QStringLiteral("the path must be absolute"), "jwtPublicKeyEdit");
    row("RS256 without a public key", "jwt", "",
        {QStringLiteral("jwtSecretEdit=${env:GH_TEST_ROUTE_JWT}"),
         QStringLiteral("jwtRS256Check=on")},
        "jwtPublicKeyError", QStringLiteral("is required for RS256"), "jwtPublicKeyEdit");
    row("jwt leeway too long", "jwt", "",
        {QStringLiteral("jwtSecretEdit=${env:GH_TEST_ROUTE_JWT}"),
         QStringLiteral("jwtLeewayEdit=601")},
        "jwtLeewayError", QStringLiteral("must be between 0 and 600"), "jwtLeewayEdit");
    row("unknown consumer", "key", "", {QStringLiteral("consumersEdit=alice\nnobody")},
        "consumersError", QStringLiteral("“nobody”: unknown consumer \"nobody\""), "consumersEdit");
}

void TestRoutePolicies::rejectionsShowAtTheFieldAndSaveNothing()
{
    QFETCH(QString, auth);
    QFETCH(QString, box);
    QFETCH(QStringList, edits);
    QFETCH(QString, error);
    QFETCH(QString, message);
    QFETCH(QString, marked);

    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    const QJsonObject before = f.stored();
    if (!auth.isEmpty())
        f.setAuth(auth);
    if (!box.isEmpty())
        f.box(qPrintable(box))->setChecked(true);
    for (const QString &edit : std::as_const(edits)) {
        const qsizetype eq = edit.indexOf(u'=');
        QWidget *widget = f.page->findChild<QWidget *>(edit.left(eq));
        QVERIFY2(widget, qPrintable(edit));
        const QString value = edit.mid(eq + 1);
        if (auto *list = qobject_cast<StringListEdit *>(widget))
            list->setPlainText(value);
        else if (auto *check = qobject_cast<QCheckBox *>(widget))
            check->setChecked(value == QLatin1String("on"));
        else if (auto *line = qobject_cast<QLineEdit *>(widget))
            typeInto(line, value);
    }
    QVERIFY(!f.save());

    auto *label = f.page->findChild<QLabel *>(error);
    QVERIFY2(label, qPrintable(error));
    QVERIFY2(label->isVisible(), qPrintable(error));
    QVERIFY2(label->text().contains(message), qPrintable(label->text()));
    QWidget *markedWidget = f.page->findChild<QWidget *>(marked);
    QVERIFY2(markedWidget && ProblemDisplay::isInvalid(markedWidget), qPrintable(marked));
    auto *summary = child<QLabel>(f.page, "problemSummary");
    QVERIFY(summary->isVisible());
    QVERIFY(summary->text().startsWith(QLatin1String("Not saved:")));
    QVERIFY(button(f.page, "saveButton")->isEnabled()); // still unsaved, nothing lost
    QCOMPARE(f.stored(), before);
}

void TestRoutePolicies::plainJwtSecretNeverReachesTheStore()
{
    Fixture f;
    QVERIFY(f.ok);
    QVERIFY(f.openRoute());
    f.setAuth(QStringLiteral("jwt"));
    const QString secret = QStringLiteral("do-not-store-me-0123456789abcdef0123");
    auto *edit = f.w<QLineEdit>("jwtSecretEdit");
    typeInto(edit, secret);
    QCOMPARE(edit->echoMode(), QLineEdit::Password); // not on the screen either
    QVERIFY(!f.save());
    const QString shown = child<QLabel>(f.page, "jwtSecretError")->text() +
                          child<QLabel>(f.page, "problemSummary")->text();
    QVERIFY2(!shown.contains(secret), qPrintable(shown));
    // Nothing in the database files, the write-ahead log included.
    const QDir dir(f.g.dir.path());
    for (const QString &name : dir.entryList({QStringLiteral("gatehouse.db*")}, QDir::Files)) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(name));
    }
    // As a reference it is shown and saved.
    edit->clear();
    QCOMPARE(edit->echoMode(), QLineEdit::Normal);
    typeInto(edit, QStringLiteral("${env:GH_TEST_ROUTE_JWT}"));
    QCOMPARE(edit->echoMode(), QLineEdit::Normal);
    QVERIFY(f.save());
}

void TestRoutePolicies::numberEditKeepsWhatItRead()
{
    NumberEdit decimal(NumberEdit::Kind::Decimal);
    decimal.setValue(QJsonValue(0.1));
    QCOMPARE(decimal.text(), QStringLiteral("0.1"));
    QCOMPARE(decimal.value(), QJsonValue(0.1));
    decimal.setValue(QJsonValue(qint64(5)));
    QCOMPARE(decimal.text(), QStringLiteral("5"));
    QVERIFY(decimal.value().isDouble());
    QCOMPARE(decimal.value().toInteger(), 5);
    decimal.setValue(QJsonValue(QJsonValue::Undefined));
    QVERIFY(decimal.isEmpty());
    QVERIFY(decimal.value().isUndefined());
    QJsonObject object{{QStringLiteral("a"), 1}};
    decimal.writeTo(object, QStringLiteral("a"));
    QVERIFY(!object.contains(QStringLiteral("a"))); // empty: absent
    decimal.setText(QStringLiteral("2.5"));
    QCOMPARE(decimal.value(), QJsonValue(2.5));
    decimal.setText(QStringLiteral("-"));
    QCOMPARE(decimal.value(), QJsonValue(QStringLiteral("-"))); // the validation names it

    NumberEdit integer(NumberEdit::Kind::Integer);
    integer.show();
    typeInto(&integer, QStringLiteral("1a.2"));
    QCOMPARE(integer.text(), QStringLiteral("12")); // no letters, no point
    QCOMPARE(integer.value(), QJsonValue(qint64(12)));
    integer.clear();
    typeInto(&integer, QStringLiteral("-3"));
    QCOMPARE(integer.value(), QJsonValue(qint64(-3)));
}

QTEST_MAIN(TestRoutePolicies)
#include "tst_routepolicies.moc"
