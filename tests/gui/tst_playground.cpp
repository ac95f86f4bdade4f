#include "Gateway.h"
#include "MainWindow.h"
#include "PlaygroundPage.h"
#include "PlaygroundPane.h"
#include "PlaygroundRequest.h"
#include "PlaygroundSnippets.h"
#include "ScriptedUpstream.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QGuiApplication>
#include <QJsonArray>
#include <QLabel>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

#include "TestGateway.h"

using namespace gh;
using gh::test::ScriptedUpstream;
using gh::test::SeenRequest;
using gh::test::TestGateway;
using gh::test::UpstreamReply;

namespace {

const QByteArray DesktopKey = "gh-desktop-test-key";

QByteArray chunk(const QByteArray &content)
{
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
           "\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" +
           content + "\"},\"finish_reason\":null}]}\n\n";
}

QByteArray usageChunk(int in, int out)
{
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
           "\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":" +
           QByteArray::number(in) + ",\"completion_tokens\":" + QByteArray::number(out) +
           ",\"total_tokens\":" + QByteArray::number(in + out) + "}}\n\n";
}

// The head of a streamed answer as the gateway sends it, then the events as they are.
QByteArray streamHead(const QByteArray &provider = "oai", const QByteArray &model = "gpt-4o-mini")
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
           "x-gatehouse-provider: " +
           provider + "\r\nx-gatehouse-model: " + model + "\r\nConnection: close\r\n\r\n";
}

UpstreamReply streamed(const QByteArray &events, const QByteArray &provider = "oai",
                       const QByteArray &model = "gpt-4o-mini")
{
    UpstreamReply reply;
    reply.bytes = streamHead(provider, model) + events;
    reply.closeAfter = true;
    return reply;
}

QByteArray helloWorld()
{
    return chunk("Hello") + chunk(", world") + chunk("!") + usageChunk(12, 4) + "data: [DONE]\n\n";
}

// GATEHOUSE_SCREENSHOTS=DIR saves what the pages look like, for docs and reviews.
void maybeScreenshot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("GATEHOUSE_SCREENSHOTS");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QTest::qWait(50); // let pending layouts settle
        window->grab().save(QStringLiteral("%1/%2.png").arg(dir, name));
    }
}

template <typename T> T *child(QWidget *root, const char *name)
{
    T *widget = root->findChild<T *>(QLatin1String(name));
    if (!widget)
        qWarning() << "no" << name;
    return widget;
}

// A page on a gateway with two models, sending to `upstream` instead of the gateway.
struct Playground
{
    explicit Playground(ScriptedUpstream &upstream)
    {
        ok = g.start() &&
             g.put(EntityKind::Provider, QStringLiteral("oai"),
                   "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\"}") &&
             g.put(EntityKind::Model, QStringLiteral("fast"),
                   "{\"targets\":[{\"provider\":\"oai\",\"model\":\"gpt-4o-mini\"}]}") &&
             g.put(EntityKind::Model, QStringLiteral("smart"),
                   "{\"targets\":[{\"provider\":\"oai\",\"model\":\"gpt-4o\"}]}");
        page = std::make_unique<PlaygroundPage>(&g.gateway);
        page->setGatewayTarget(upstream.url(), DesktopKey);
        page->resize(900, 600);
        page->show();
    }

    void send(const QString &prompt)
    {
        auto *edit = child<QPlainTextEdit>(page.get(), "promptEdit");
        edit->setPlainText(prompt);
        QTest::mouseClick(child<QPushButton>(page.get(), "sendButton"), Qt::LeftButton);
    }

    PlaygroundPane *pane(int index = 0) const { return page->panes().value(index); }

    bool waitDone(int index = 0)
    {
        return QTest::qWaitFor([&] { return !pane(index)->isRunning(); }, 10000);
    }

    TestGateway g;
    bool ok = false;
    std::unique_ptr<PlaygroundPage> page;
};

} // namespace

class TestPlayground : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void requestBody();
    void streamsAnswerWithTokensCostAndLatency();
    void priceFromConfigOverride();
    void unknownPriceIsSaid();
    void errorBodiesAreReadable_data();
    void errorBodiesAreReadable();
    void errorInsideTheStream();
    void cutOffStreamIsAnError();
    void gatewayDown();
    void stopAborts();
    void compareSideBySide();
    void wholeAnswerWithoutStreaming();
    void copySnippets();
    void mainWindowPageUsesTheGateway();
    void throughTheRealGateway();
};

void TestPlayground::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

void TestPlayground::init()
{
    QSettings(QStringLiteral("Gatehouse"), QStringLiteral("Gatehouse")).clear();
}

void TestPlayground::requestBody()
{
    PlaygroundParams params;
    params.model = QStringLiteral("fast");
    params.prompt = QStringLiteral("Hi");
    QJsonObject body = PlaygroundRequest::body(params);
    QCOMPARE(body.value(QStringLiteral("model")).toString(), QStringLiteral("fast"));
    QCOMPARE(body.value(QStringLiteral("messages")).toArray(),
             QJsonArray({QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                     {QStringLiteral("content"), QStringLiteral("Hi")}}}));
    QVERIFY(body.value(QStringLiteral("stream")).toBool());
    QCOMPARE(body.value(QStringLiteral("stream_options")).toObject(),
             QJsonObject({{QStringLiteral("include_usage"), true}}));
    for (const char *unset : {"temperature", "max_tokens", "top_p"})
        QVERIFY2(!body.contains(QLatin1String(unset)), unset);

    params.system = QStringLiteral("Be brief.");
    params.temperature = 0.3;
    params.maxTokens = 50;
    params.topP = 0.5;
    params.stream = false;
    body = PlaygroundRequest::body(params);
    QCOMPARE(body.value(QStringLiteral("messages")).toArray().first()[QStringLiteral("role")],
             QJsonValue(QStringLiteral("system")));
    QCOMPARE(body.value(QStringLiteral("temperature")).toDouble(), 0.3);
    QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 50);
    QCOMPARE(body.value(QStringLiteral("top_p")).toDouble(), 0.5);
    QVERIFY(!body.contains(QStringLiteral("stream")));
    QVERIFY(!body.contains(QStringLiteral("stream_options")));
}

void TestPlayground::streamsAnswerWithTokensCostAndLatency()
{
    ScriptedUpstream upstream([](const SeenRequest &) {
        UpstreamReply reply = streamed(helloWorld());
        reply.delayMs = 150; // a model that thinks a little
        return reply;
    });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    QVERIFY(QTest::qWaitForWindowExposed(p.page.get()));
    QCOMPARE(p.pane()->model(), QStringLiteral("fast"));
    // The parameters the user turns on are sent; the others are left to the model.
    child<QCheckBox>(p.page.get(), "temperatureCheck")->setChecked(true);
    child<QDoubleSpinBox>(p.page.get(), "temperatureSpin")->setValue(0.2);
    child<QPlainTextEdit>(p.page.get(), "systemEdit")->setPlainText(QStringLiteral("Be brief."));

    p.send(QStringLiteral("Say hello"));
    QVERIFY(p.pane()->isRunning());
    QVERIFY(!child<QPushButton>(p.page.get(), "sendButton")->isEnabled());
    QVERIFY(child<QPushButton>(p.page.get(), "stopButton")->isEnabled());
    QVERIFY(p.waitDone());
    PlaygroundRequest *request = p.pane()->request();
    QCOMPARE(request->state(), PlaygroundRequest::State::Completed);
    QCOMPARE(p.pane()->answerText(), QStringLiteral("Hello, world!"));
    QCOMPARE(request->usage().input, 12);
    QCOMPARE(request->usage().output, 4);
    QCOMPARE(request->provider(), QStringLiteral("oai"));
    QCOMPARE(request->upstreamModel(), QStringLiteral("gpt-4o-mini"));
    QVERIFY2(request->firstTokenMs() >= 140, qPrintable(QString::number(request->firstTokenMs())));
    QVERIFY(request->totalMs() >= request->firstTokenMs());

    const QString stats = p.pane()->statsText();
    QVERIFY2(stats.contains(QLatin1String("12 in / 4 out tokens")), qPrintable(stats));
    QVERIFY2(stats.contains(QLatin1String("first token")), qPrintable(stats));
    QVERIFY2(stats.contains(QLatin1String("total")), qPrintable(stats));
    QVERIFY2(stats.contains(QLatin1String("via oai / gpt-4o-mini")), qPrintable(stats));
    // gpt-4o-mini at the built-in $0.15 / $0.60 per million: 12 * 0.15e-6 + 4 * 0.6e-6.
    QVERIFY2(stats.contains(QLatin1String("$0.000004")), qPrintable(stats));
    QVERIFY(!stats.contains(QLatin1String("price unknown")));
    QVERIFY(!child<QLabel>(p.pane(), "errorLabel")->isVisible());
    QVERIFY(child<QPushButton>(p.page.get(), "sendButton")->isEnabled());
    QVERIFY(!child<QPushButton>(p.page.get(), "stopButton")->isEnabled());
    maybeScreenshot(p.page.get(), QStringLiteral("playground-answer"));

    // As any OpenAI client would have asked, with the desktop's key.
    const SeenRequest seen = upstream.last();
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.target, QByteArray("/v1/chat/completions"));
    QCOMPARE(seen.header("authorization"), "Bearer " + DesktopKey);
    QCOMPARE(seen.header("accept"), QByteArray("text/event-stream"));
    QCOMPARE(seen.header("content-type"), QByteArray("application/json"));
    PlaygroundParams sent = p.page->params();
    QCOMPARE(sent.temperature, std::optional<double>(0.2));
    QCOMPARE(sent.maxTokens, std::optional<int>());
    QCOMPARE(sent.system, QStringLiteral("Be brief."));
    QCOMPARE(
        seen.bodyBytes,
        qint64(QJsonDocument(PlaygroundRequest::body(sent)).toJson(QJsonDocument::Compact).size()));
}

void TestPlayground::priceFromConfigOverride()
{
    ScriptedUpstream upstream([](const SeenRequest &) {
        return streamed(chunk("ok") + usageChunk(1000000, 500000) + "data: [DONE]\n\n", "oai",
                        "house-model");
    });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    QVERIFY(p.g.put(EntityKind::Price, QStringLiteral("oai/house-model"),
                    "{\"provider\":\"oai\",\"model\":\"house-model\",\"input\":1,\"output\":2}"));
    p.send(QStringLiteral("x"));
    QVERIFY(p.waitDone());
    QCOMPARE(PlaygroundPane::cost(&p.g.gateway, *p.pane()->request()), std::optional<double>(2.0));
    QVERIFY2(p.pane()->statsText().contains(QLatin1String("$2.0000")),
             qPrintable(p.pane()->statsText()));
}

void TestPlayground::unknownPriceIsSaid()
{
    ScriptedUpstream upstream([](const SeenRequest &) {
        return streamed(chunk("ok") + usageChunk(5, 1) + "data: [DONE]\n\n", "nobody",
                        "mystery-model");
    });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    p.send(QStringLiteral("x"));
    QVERIFY(p.waitDone());
    QCOMPARE(p.pane()->request()->state(), PlaygroundRequest::State::Completed);
    QVERIFY2(p.pane()->statsText().contains(QLatin1String("price unknown")),
             qPrintable(p.pane()->statsText()));
    QVERIFY(p.pane()->statsText().contains(QLatin1String("5 in / 1 out tokens")));
}

void TestPlayground::errorBodiesAreReadable_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    QTest::newRow("openai") << 429
                            << QByteArray("{\"error\":{\"message\":\"Budget spent for this "
                                          "month\",\"type\":\"budget_exceeded\",\"code\":"
                                          "\"budget\"}}")
                            << QStringLiteral("HTTP 429 Scripted: Budget spent for this month "
                                              "(budget_exceeded, budget)");
    QTest::newRow("anthropic") << 529
                               << QByteArray("{\"type\":\"error\",\"error\":{\"type\":"
                                             "\"overloaded_error\",\"message\":\"Overloaded\"}}")
                               << QStringLiteral(
                                      "HTTP 529 Scripted: Overloaded (overloaded_error)");
    QTest::newRow("text") << 502 << QByteArray("upstream unreachable\n")
                          << QStringLiteral("HTTP 502 Scripted: upstream unreachable");
}

void TestPlayground::errorBodiesAreReadable()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    ScriptedUpstream upstream([=](const SeenRequest &) {
        return UpstreamReply::respond(status, body, {{"Content-Type", "application/json"}});
    });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    QVERIFY(QTest::qWaitForWindowExposed(p.page.get()));
    p.send(QStringLiteral("x"));
    QVERIFY(p.waitDone());
    QCOMPARE(p.pane()->request()->state(), PlaygroundRequest::State::Failed);
    QCOMPARE(p.pane()->request()->httpStatus(), status);
    auto *error = child<QLabel>(p.pane(), "errorLabel");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), expected);
    maybeScreenshot(p.page.get(), QStringLiteral("playground-error-%1").arg(status));
    QVERIFY(p.pane()->statsText().contains(QLatin1String("Failed")));
}

void TestPlayground::errorInsideTheStream()
{
    ScriptedUpstream upstream([](const SeenRequest &) {
        return streamed(chunk("Par") +
                        "data: {\"error\":{\"message\":\"The upstream timed out\",\"type\":"
                        "\"timeout\",\"code\":\"upstream_timeout\"}}\n\n");
    });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    p.send(QStringLiteral("x"));
    QVERIFY(p.waitDone());
    QCOMPARE(p.pane()->request()->state(), PlaygroundRequest::State::Failed);
    QCOMPARE(p.pane()->answerText(), QStringLiteral("Par")); // what came before stays
    QCOMPARE(p.pane()->errorText(),
             QStringLiteral("The upstream timed out (timeout, upstream_timeout)"));
    QVERIFY(child<QLabel>(p.pane(), "errorLabel")->isVisible());
}

void TestPlayground::cutOffStreamIsAnError()
{
    ScriptedUpstream upstream([](const SeenRequest &) { return streamed(chunk("Half")); });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    p.send(QStringLiteral("x"));
    QVERIFY(p.waitDone());
    QCOMPARE(p.pane()->request()->state(), PlaygroundRequest::State::Failed);
    QVERIFY2(p.pane()->errorText().contains(QLatin1String("cut off")),
             qPrintable(p.pane()->errorText()));
}

void TestPlayground::gatewayDown()
{
    ScriptedUpstream upstream([](const SeenRequest &) { return streamed(helloWorld()); });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    const quint16 port = gh::test::unusedPort();
    p.page->setGatewayTarget(QStringLiteral("http://127.0.0.1:%1").arg(port), DesktopKey);
    p.send(QStringLiteral("x"));
    QVERIFY(p.waitDone());
    QVERIFY2(p.pane()->errorText().contains(QLatin1String("not running")),
             qPrintable(p.pane()->errorText()));
    QVERIFY(p.pane()->errorText().contains(QString::number(port)));
}

void TestPlayground::stopAborts()
{
    ScriptedUpstream upstream([](const SeenRequest &) {
        UpstreamReply reply;
        reply.bytes = streamHead() + chunk("Partial");
        reply.hang = true; // the rest never comes
        return reply;
    });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    QVERIFY(QTest::qWaitForWindowExposed(p.page.get()));
    p.send(QStringLiteral("x"));
    // Streamed: the first part is there while the answer is still running.
    QTRY_COMPARE_WITH_TIMEOUT(p.pane()->answerText(), QStringLiteral("Partial"), 5000);
    QVERIFY(p.pane()->isRunning());
    QVERIFY(p.pane()->request()->firstTokenMs() >= 0);
    auto *stop = child<QPushButton>(p.page.get(), "stopButton");
    QVERIFY(stop->isEnabled());
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(!p.pane()->isRunning());
    QCOMPARE(p.pane()->request()->state(), PlaygroundRequest::State::Stopped);
    QVERIFY2(p.pane()->statsText().startsWith(QLatin1String("Stopped")),
             qPrintable(p.pane()->statsText()));
    QVERIFY(!child<QLabel>(p.pane(), "errorLabel")->isVisible());
    QCOMPARE(p.pane()->answerText(), QStringLiteral("Partial"));
    QVERIFY(!stop->isEnabled());
    QVERIFY(child<QPushButton>(p.page.get(), "sendButton")->isEnabled());
    // Nothing arrives later: the connection is gone.
    QTest::qWait(200);
    QCOMPARE(p.pane()->request()->state(), PlaygroundRequest::State::Stopped);
    QCOMPARE(upstream.requests(), 1);
}

void TestPlayground::compareSideBySide()
{
    ScriptedUpstream upstream([](const SeenRequest &) { return streamed(helloWorld()); });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    auto *compare = child<QPushButton>(p.page.get(), "compareButton");
    QTest::mouseClick(compare, Qt::LeftButton);
    QCOMPARE(p.page->panes().size(), 2);
    QCOMPARE(p.pane(0)->model(), QStringLiteral("fast"));
    QCOMPARE(p.pane(1)->model(), QStringLiteral("smart")); // another model to compare with
    QTest::mouseClick(compare, Qt::LeftButton);
    QCOMPARE(p.page->panes().size(), 3);
    QVERIFY(!compare->isEnabled()); // three at most

    p.send(QStringLiteral("x"));
    for (int i = 0; i < 3; ++i) {
        QVERIFY(p.waitDone(i));
        QCOMPARE(p.pane(i)->answerText(), QStringLiteral("Hello, world!"));
    }
    QCOMPARE(upstream.requests(), 3);
    maybeScreenshot(p.page.get(), QStringLiteral("playground-compare"));

    // The extra columns can go again; the first cannot.
    QVERIFY(!child<QWidget>(p.pane(0), "closePaneButton")->isVisible());
    QTest::mouseClick(child<QWidget>(p.pane(2), "closePaneButton"), Qt::LeftButton);
    QCOMPARE(p.page->panes().size(), 2);
    QVERIFY(compare->isEnabled());
}

void TestPlayground::wholeAnswerWithoutStreaming()
{
    ScriptedUpstream upstream([](const SeenRequest &) {
        return UpstreamReply::respond(
            200,
            "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":"
            "\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            "\"content\":\"All at once\"},\"finish_reason\":\"stop\"}],\"usage\":"
            "{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}",
            {{"Content-Type", "application/json"},
             {"x-gatehouse-provider", "oai"},
             {"x-gatehouse-model", "gpt-4o-mini"}});
    });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    child<QCheckBox>(p.page.get(), "streamCheck")->setChecked(false);
    QVERIFY(!p.page->params().stream);
    p.send(QStringLiteral("x"));
    QVERIFY(p.waitDone());
    QCOMPARE(p.pane()->request()->state(), PlaygroundRequest::State::Completed);
    QCOMPARE(p.pane()->answerText(), QStringLiteral("All at once"));
    QVERIFY2(p.pane()->statsText().contains(QLatin1String("7 in / 3 out tokens")),
             qPrintable(p.pane()->statsText()));
    QCOMPARE(upstream.last().header("accept"), QByteArray("application/json"));
}

void TestPlayground::copySnippets()
{
    ScriptedUpstream upstream([](const SeenRequest &) { return streamed(helloWorld()); });
    QVERIFY(upstream.start());
    Playground p(upstream);
    QVERIFY(p.ok);
    child<QPlainTextEdit>(p.page.get(), "promptEdit")->setPlainText(QStringLiteral("Tell a joke"));
    child<QCheckBox>(p.page.get(), "maxTokensCheck")->setChecked(true);
    child<QSpinBox>(p.page.get(), "maxTokensSpin")->setValue(77);
    const PlaygroundParams params = p.page->params();
    QCOMPARE(params.model, QStringLiteral("fast"));
    QCOMPARE(params.maxTokens, std::optional<int>(77));

    const QString url = upstream.url();
    const QList<std::pair<const char *, QString>> languages{
        {"copy-curl", PlaygroundSnippets::curl(url, params)},
        {"copy-python", PlaygroundSnippets::python(url, params)},
        {"copy-javascript", PlaygroundSnippets::javaScript(url, params)}};
    for (const auto &[action, expected] : languages) {
        QGuiApplication::clipboard()->clear();
        auto *copy = p.page->findChild<QAction *>(QLatin1String(action));
        QVERIFY2(copy, action);
        copy->trigger();
        const QString copied = QGuiApplication::clipboard()->text();
        QCOMPARE(copied, expected);
        QVERIFY(copied.contains(QLatin1String("Tell a joke")));
        QVERIFY(copied.contains(QLatin1String("max_tokens")));
        QVERIFY(copied.contains(PlaygroundSnippets::keyVariable()));
        QVERIFY2(!copied.contains(QString::fromLatin1(DesktopKey)), action); // never the key
    }
    QVERIFY(child<QLabel>(p.page.get(), "copiedLabel")
                ->text()
                .contains(QLatin1String("GATEHOUSE_API_KEY")));
}

void TestPlayground::mainWindowPageUsesTheGateway()
{
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(g.put(EntityKind::Provider, QStringLiteral("oai"),
                  "{\"type\":\"openai\",\"base_url\":\"http://127.0.0.1:9/v1\"}"));
    MainWindow window(&g.gateway);
    window.show();
    window.showPage(MainWindow::Page::Playground);
    auto *page = qobject_cast<PlaygroundPage *>(window.pageWidget(MainWindow::Page::Playground));
    QVERIFY(page);
    QVERIFY(page->isVisible());
    QCOMPARE(page->gatewayUrl(), g.gateway.gatewayUrl());
    // No models yet: the page says what to do, and Send waits for a model.
    auto *notice = child<QLabel>(page, "playgroundNotice");
    QVERIFY(notice->isVisible());
    QVERIFY(notice->text().contains(QLatin1String("Models")));
    child<QPlainTextEdit>(page, "promptEdit")->setPlainText(QStringLiteral("x"));
    QVERIFY(!child<QPushButton>(page, "sendButton")->isEnabled());

    // A model added elsewhere shows up at once.
    QVERIFY(g.put(EntityKind::Model, QStringLiteral("fast"),
                  "{\"targets\":[{\"provider\":\"oai\",\"model\":\"gpt-4o-mini\"}]}"));
    QCOMPARE(page->panes().first()->model(), QStringLiteral("fast"));
    QVERIFY(!notice->isVisible());
    QVERIFY(child<QPushButton>(page, "sendButton")->isEnabled());
}

void TestPlayground::throughTheRealGateway()
{
    // The in-process gateway between the page and a provider: the desktop key lets the
    // Playground in, and the gateway names the provider and upstream model it used.
    ScriptedUpstream provider([](const SeenRequest &) {
        UpstreamReply reply;
        reply.bytes = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                      "Connection: close\r\n\r\n" +
                      helloWorld();
        reply.closeAfter = true;
        return reply;
    });
    QVERIFY(provider.start());
    TestGateway g;
    QVERIFY(g.start());
    QVERIFY(!g.gateway.desktopKey().isEmpty());
    const QByteArray local = QStringLiteral("{\"type\":\"openai-compatible\",\"base_url\":\"%1\"}")
                                 .arg(provider.url(QStringLiteral("/v1")))
                                 .toUtf8();
    QVERIFY(g.put(EntityKind::Provider, QStringLiteral("local"), local));
    QVERIFY(g.put(EntityKind::Model, QStringLiteral("fast"),
                  "{\"targets\":[{\"provider\":\"local\",\"model\":\"gpt-4o-mini\"}]}"));
    PlaygroundPage page(&g.gateway);
    page.show();
    QCOMPARE(page.gatewayUrl(), g.gateway.gatewayUrl());
    child<QPlainTextEdit>(&page, "promptEdit")->setPlainText(QStringLiteral("Say hello"));
    QTest::mouseClick(child<QPushButton>(&page, "sendButton"), Qt::LeftButton);
    PlaygroundPane *pane = page.panes().first();
    QVERIFY(QTest::qWaitFor([&] { return !pane->isRunning(); }, 15000));
    QVERIFY2(pane->request()->state() == PlaygroundRequest::State::Completed,
             qPrintable(pane->errorText()));
    QCOMPARE(pane->answerText(), QStringLiteral("Hello, world!"));
    QCOMPARE(pane->request()->provider(), QStringLiteral("local"));
    QCOMPARE(pane->request()->upstreamModel(), QStringLiteral("gpt-4o-mini"));
    QVERIFY2(pane->statsText().contains(QLatin1String("12 in / 4 out tokens")),
             qPrintable(pane->statsText()));
    QCOMPARE(provider.last().target, QByteArray("/v1/chat/completions"));
    // The desktop key stays between the app and its gateway.
    QVERIFY(!provider.last().header("authorization").contains(g.gateway.desktopKey()));
}

QTEST_MAIN(TestPlayground)
#include "tst_playground.moc"
