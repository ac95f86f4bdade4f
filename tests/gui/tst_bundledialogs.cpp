// File > Export Bundle… / Import Bundle… (docs/bundles.md "Desktop") against real Gateways:
// what the export tree offers and writes (selection + dependencies), the import preview's
// rows (add / change with fields / remove / unchanged) and warnings, applying in merge and
// replace mode, and every refusal shown with its path and nothing changed.
#include "BundleExportDialog.h"
#include "BundleImportDialog.h"
#include "BundlePlanModel.h"
#include "Gateway.h"
#include "MainWindow.h"
#include "config/ConfigLoader.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QNetworkProxy>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "TestGateway.h"
#include "WidgetHelpers.h"

using namespace gh;
using namespace gh::test;

namespace {

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

QStringList names(const QJsonObject &document, const QString &section)
{
    QStringList result;
    for (const QJsonValue &value : document.value(section).toArray()) {
        const QJsonObject entity = value.toObject();
        result.append(section == QLatin1String("prices")
                          ? entity.value("provider").toString() + "/" +
                                entity.value("model").toString()
                          : entity.value("name").toString());
    }
    return result;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

// A gateway with a bit of everything: a provider whose key is an env reference, two models
// (fast falls back to smart), a price, a service with its route, a prompt API, a consumer.
bool fill(TestGateway &g)
{
    return g.put(EntityKind::Provider, "oa",
                 R"({"type": "openai", "api_key": "${env:GH_BUNDLE_TEST_KEY}"})") &&
           g.put(EntityKind::Model, "smart",
                 R"({"targets": [{"provider": "oa", "model": "gpt-4o"}]})") &&
           g.put(
               EntityKind::Model, "fast",
               R"({"targets": [{"provider": "oa", "model": "gpt-4o-mini"}], "fallbacks": ["smart"]})") &&
           g.put(EntityKind::Price, "oa/gpt-4o-mini",
                 R"({"provider": "oa", "model": "gpt-4o-mini", "input": 1, "output": 2})") &&
           g.put(EntityKind::Service, "billing",
                 R"({"targets": [{"url": "http://127.0.0.1:9000"}]})") &&
           g.put(EntityKind::Route, "bills",
                 R"({"match": {"paths": ["/billing"]}, "service": "billing"})") &&
           g.put(EntityKind::PromptApi, "sum",
                 R"({"path": "/prompts/sum", "model": "fast", "template": "Sum up {{t}}",
                     "inputs": {"t": {"type": "string"}}})") &&
           g.put(EntityKind::Consumer, "me", R"({})");
}

int rowsOf(const BundlePlanModel *model, ConfigBundle::ChangeType type)
{
    return model->count(type);
}

QString rowText(const BundlePlanModel *model, int row)
{
    QStringList cells;
    for (int column = 0; column < model->columnCount(); ++column)
        cells.append(model->index(row, column).data().toString());
    return cells.join(QLatin1Char('|'));
}

void setComboToReplace(BundleImportDialog &dialog)
{
    auto *combo = dialog.findChild<QComboBox *>("modeCombo");
    combo->setCurrentIndex(combo->findData(int(ConfigBundle::Mode::Replace)));
}

QStringList allRows(const BundlePlanModel *model)
{
    QStringList rows;
    for (int row = 0; row < model->rowCount(); ++row)
        rows.append(rowText(model, row));
    return rows;
}

} // namespace

class TestBundleDialogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportTreeOffersBundleSectionsOnly();
    void exportSelectionWithWhatItNeeds();
    void exportSavesWhatItShows();
    void importPreviewThenApplyIntoAnEmptyGateway();
    void importShowsChangedFieldsAndMergesNothingAway();
    void replaceAsksBeforeRemoving();
    void refusalsShowTheirPaths_data();
    void refusalsShowTheirPaths();
    void fileMenuOpensTheDialogs();
};

void TestBundleDialogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
    qputenv("GH_BUNDLE_TEST_KEY", "sk-bundle-test-secret-value");
}

void TestBundleDialogs::exportTreeOffersBundleSectionsOnly()
{
    TestGateway g;
    QVERIFY(g.start() && fill(g));
    BundleExportDialog dialog(&g.gateway);
    QTreeWidget *tree = dialog.tree();
    QStringList sections;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        sections.append(tree->topLevelItem(i)->text(0));
    QCOMPARE(sections,
             (QStringList{"Providers", "Models", "Prices", "Services", "Routes", "Prompt APIs"}));
    QCOMPARE(tree->topLevelItem(1)->childCount(), 2);
    QCOMPARE(tree->topLevelItem(2)->child(0)->text(0), QString("oa/gpt-4o-mini"));
    // No consumers, never.
    QVERIFY(!dialog.setChecked(EntityKind::Consumer, "me"));
    // Nothing selected: nothing to save.
    QVERIFY(dialog.document().isEmpty());
    QVERIFY(!button(&dialog, "saveBundleButton")->isEnabled());
    QCOMPARE(child<QLabel>(&dialog, "exportSummary")->text(), QString("Nothing selected."));
    // A section's box checks all of it.
    tree->topLevelItem(1)->setCheckState(0, Qt::Checked);
    QCOMPARE(dialog.selection().names.value(EntityKind::Model), (QStringList{"fast", "smart"}));
    QVERIFY(button(&dialog, "saveBundleButton")->isEnabled());
}

void TestBundleDialogs::exportSelectionWithWhatItNeeds()
{
    TestGateway g;
    QVERIFY(g.start() && fill(g));
    BundleExportDialog dialog(&g.gateway);
    QVERIFY(child<QCheckBox>(&dialog, "dependenciesCheck")->isChecked()); // the default
    QVERIFY(dialog.setChecked(EntityKind::PromptApi, "sum"));
    QVERIFY(dialog.setChecked(EntityKind::Route, "bills"));
    const QJsonObject document = dialog.document();
    QCOMPARE(names(document, "prompt_apis"), QStringList{"sum"});
    QCOMPARE(names(document, "routes"), QStringList{"bills"});
    QCOMPARE(names(document, "services"), QStringList{"billing"});
    QCOMPARE(names(document, "models"), (QStringList{"fast", "smart"}));
    QCOMPARE(names(document, "providers"), QStringList{"oa"});
    QCOMPARE(names(document, "prices"), QStringList{"oa/gpt-4o-mini"});
    QVERIFY(!document.contains("consumers") && !document.contains("settings"));
    QCOMPARE(dialog.addedByDependencies(),
             (QStringList{"providers: oa", "models: fast", "models: smart",
                          "prices: oa/gpt-4o-mini", "services: billing"}));
    const QString summary = child<QLabel>(&dialog, "exportSummary")->text();
    QVERIFY2(summary.contains("2 selected") && summary.contains("services: billing"),
             qPrintable(summary));
    // The key goes as its reference, never its value.
    const QString preview = child<QPlainTextEdit>(&dialog, "exportPreview")->toPlainText();
    QVERIFY(preview.contains("${env:GH_BUNDLE_TEST_KEY}"));
    QVERIFY(!preview.contains("sk-bundle-test-secret-value"));
    QVERIFY(preview.contains("gatehouse_bundle"));
    // Without the dependencies: only what was checked.
    child<QCheckBox>(&dialog, "dependenciesCheck")->setChecked(false);
    QCOMPARE(dialog.document().keys(), (QStringList{"gatehouse_bundle", "prompt_apis", "routes"}));
    QVERIFY(dialog.addedByDependencies().isEmpty());
    dialog.setChecked(EntityKind::Route, "bills", false);
    QCOMPARE(names(dialog.document(), "prompt_apis"), QStringList{"sum"});
    QVERIFY(!dialog.document().contains("routes"));
}

void TestBundleDialogs::exportSavesWhatItShows()
{
    TestGateway g;
    QVERIFY(g.start() && fill(g));
    QTemporaryDir dir;
    BundleExportDialog dialog(&g.gateway);
    dialog.setChecked(EntityKind::PromptApi, "sum");
    const QString path = dir.filePath("bundle.yaml");
    QString error;
    QVERIFY2(dialog.saveTo(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), dialog.yaml());
    QCOMPARE(child<QPlainTextEdit>(&dialog, "exportPreview")->toPlainText().toUtf8(),
             dialog.yaml());
    const ConfigDocument reread = ConfigLoader::loadFile(path);
    QVERIFY(reread.problems.isEmpty());
    QCOMPARE(reread.root, dialog.document());
    // An unwritable place: said, not crashed.
    QVERIFY(!dialog.saveTo(dir.filePath("missing/dir/bundle.yaml"), &error));
    QVERIFY(!error.isEmpty());
}

void TestBundleDialogs::importPreviewThenApplyIntoAnEmptyGateway()
{
    TestGateway source;
    QVERIFY(source.start() && fill(source));
    QTemporaryDir dir;
    const QString path = dir.filePath("bundle.yaml");
    {
        BundleExportDialog exporter(&source.gateway);
        exporter.setChecked(EntityKind::PromptApi, "sum");
        exporter.setChecked(EntityKind::Route, "bills");
        QString error;
        QVERIFY(exporter.saveTo(path, &error));
    }

    TestGateway target;
    QVERIFY(target.start());
    QSignalSpy changed(&target.gateway, &Gateway::configChanged);
    BundleImportDialog dialog(&target.gateway);
    QAbstractItemModelTester tester(dialog.planModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!button(&dialog, "applyButton")->isEnabled());
    QVERIFY(dialog.openFile(path));
    QCOMPARE(child<QLineEdit>(&dialog, "bundlePathEdit")->text(), path);
    const BundlePlanModel *model = dialog.planModel();
    QCOMPARE(allRows(model),
             (QStringList{"add|Providers|oa|", "add|Models|fast|", "add|Models|smart|",
                          "add|Prices|oa/gpt-4o-mini|", "add|Services|billing|",
                          "add|Routes|bills|", "add|Prompt APIs|sum|"}));
    QCOMPARE(dialog.summaryText(), QString("7 to add, 0 to change, 0 to remove, 0 unchanged."));
    QVERIFY2(dialog.warningText().contains("provider \"oa\" reads its key from "
                                           "${env:GH_BUNDLE_TEST_KEY}"),
             qPrintable(dialog.warningText()));
    QCOMPARE(changed.count(), 0); // a preview changes nothing
    QVERIFY(target.gateway.entities(EntityKind::PromptApi).isEmpty());

    QVERIFY(button(&dialog, "applyButton")->isEnabled());
    QTest::mouseClick(button(&dialog, "applyButton"), Qt::LeftButton);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dialog.summaryText(),
             QString("Applied: 7 added, 0 changed, 0 removed; new requests use them now."));
    QCOMPARE(rowsOf(model, ConfigBundle::ChangeType::Unchanged), 7); // re-planned
    QVERIFY(!button(&dialog, "applyButton")->isEnabled());
    QCOMPARE(target.entity(EntityKind::PromptApi, "sum"),
             source.entity(EntityKind::PromptApi, "sum"));
    QCOMPARE(target.entity(EntityKind::Route, "bills"), source.entity(EntityKind::Route, "bills"));
    QVERIFY(target.gateway.entities(EntityKind::Consumer).isEmpty());
}

void TestBundleDialogs::importShowsChangedFieldsAndMergesNothingAway()
{
    TestGateway g;
    QVERIFY(g.start() && fill(g));
    QVERIFY(g.put(EntityKind::PromptApi, "mine",
                  R"({"path": "/prompts/mine", "model": "smart", "template": "x"})"));
    QTemporaryDir dir;
    const QString path = dir.filePath("bundle.json");
    // The stored "sum" with another template and version, plus a new prompt API.
    QJsonObject sum = g.entity(EntityKind::PromptApi, "sum");
    sum.insert("template", "Summarize {{t}}");
    sum.insert("version", "v2");
    const QJsonObject added = json(R"({"name": "fresh", "path": "/prompts/fresh",
                                       "model": "fast", "template": "y"})");
    QJsonObject bundle{{"prompt_apis", QJsonArray{sum, added}},
                       {"models", QJsonArray{g.entity(EntityKind::Model, "fast"),
                                             g.entity(EntityKind::Model, "smart")}}};
    QVERIFY(writeFile(path, QJsonDocument(bundle).toJson()));

    BundleImportDialog dialog(&g.gateway);
    QVERIFY(dialog.openFile(path));
    QCOMPARE(dialog.mode(), ConfigBundle::Mode::Merge);
    QVERIFY2(dialog.problemText().isEmpty(), qPrintable(dialog.problemText()));
    QCOMPARE(allRows(dialog.planModel()),
             (QStringList{"unchanged|Models|fast|", "unchanged|Models|smart|",
                          "add|Prompt APIs|fresh|", "change|Prompt APIs|sum|template, version"}));
    QVERIFY(dialog.apply());
    QCOMPARE(g.entity(EntityKind::PromptApi, "sum").value("template").toString(),
             QString("Summarize {{t}}"));
    QVERIFY(!g.entity(EntityKind::PromptApi, "fresh").isEmpty());
    QVERIFY(!g.entity(EntityKind::PromptApi, "mine").isEmpty()); // merge removes nothing
}

void TestBundleDialogs::replaceAsksBeforeRemoving()
{
    TestGateway g;
    QVERIFY(g.start() && fill(g));
    QVERIFY(g.put(EntityKind::PromptApi, "mine",
                  R"({"path": "/prompts/mine", "model": "smart", "template": "x"})"));
    QTemporaryDir dir;
    const QString path = dir.filePath("bundle.json");
    const QJsonObject bundle{{"prompt_apis", QJsonArray{g.entity(EntityKind::PromptApi, "sum")}}};
    QVERIFY(writeFile(path, QJsonDocument(bundle).toJson()));

    BundleImportDialog dialog(&g.gateway);
    QVERIFY(dialog.openFile(path));
    QCOMPARE(allRows(dialog.planModel()), QStringList{"unchanged|Prompt APIs|sum|"});
    QVERIFY(!dialog.canApply()); // nothing to do in merge mode
    setComboToReplace(dialog);
    QCOMPARE(allRows(dialog.planModel()),
             (QStringList{"unchanged|Prompt APIs|sum|", "remove|Prompt APIs|mine|"}));
    QVERIFY(child<QLabel>(&dialog, "modeHelp")->text().contains("removed"));
    QVERIFY(dialog.canApply());

    BoxAnswer answer;
    answerMessageBox("confirmRemoveBox", QMessageBox::Cancel, &answer);
    QVERIFY(!dialog.apply());
    QVERIFY(answer.seen);
    QVERIFY(answer.informativeText.contains("prompt API mine"));
    QVERIFY(!g.entity(EntityKind::PromptApi, "mine").isEmpty());

    answerMessageBox("confirmRemoveBox", QMessageBox::Yes, &answer);
    QVERIFY(dialog.apply());
    QVERIFY(g.entity(EntityKind::PromptApi, "mine").isEmpty());
    QVERIFY(!g.entity(EntityKind::PromptApi, "sum").isEmpty());
    QVERIFY(!g.entity(EntityKind::Route, "bills").isEmpty()); // sections not in it: untouched
    QVERIFY(dialog.summaryText().contains("1 removed"));
}

void TestBundleDialogs::refusalsShowTheirPaths_data()
{
    QTest::addColumn<QByteArray>("bundle");
    QTest::addColumn<bool>("replace");
    QTest::addColumn<QString>("expected");
    QTest::newRow("consumers") << QByteArray(R"({"consumers": [{"name": "x"}]})") << false
                               << "consumers";
    QTest::newRow("settings") << QByteArray(R"({"settings": {"log_bodies": true}})") << false
                              << "settings";
    QTest::newRow("unknown reference")
        << QByteArray(
               R"({"routes": [{"name": "r", "match": {"paths": ["/r"]}, "service": "nope"}]})")
        << false << "routes[0].service";
    QTest::newRow("unknown key")
        << QByteArray(R"({"prompt_apis": [{"name": "p", "path": "/prompts/p", "model": "fast",
                                            "template": "x", "colour": "red"}]})")
        << false << "prompt_apis[0].colour";
    QTest::newRow("undeclared input")
        << QByteArray(R"({"prompt_apis": [{"name": "p", "path": "/prompts/p", "model": "fast",
                                            "template": "{{who}}"}]})")
        << false << "prompt_apis[0].template";
    QTest::newRow("still in use")
        << QByteArray(
               R"({"services": [{"name": "other", "targets": [{"url": "http://127.0.0.1:1"}]}]})")
        << true << "routes[bills]: still uses service \"billing\"";
    QTest::newRow("plain key") << QByteArray(R"({"providers": [{"name": "p", "type": "openai",
                                                 "api_key": "sk-plaintext-0123456789abcdef"}]})")
                               << false << "providers[0].api_key";
    QTest::newRow("unparsable") << QByteArray("routes: [unclosed") << false << "line";
}

void TestBundleDialogs::refusalsShowTheirPaths()
{
    QFETCH(QByteArray, bundle);
    QFETCH(bool, replace);
    QFETCH(QString, expected);
    TestGateway g;
    QVERIFY(g.start() && fill(g));
    const QJsonObject before =
        json(QJsonDocument(
                 QJsonObject{{"routes", QJsonArray{g.entity(EntityKind::Route, "bills")}},
                             {"services", QJsonArray{g.entity(EntityKind::Service, "billing")}}})
                 .toJson());
    QTemporaryDir dir;
    const QString path = dir.filePath(bundle.startsWith('{') ? "bundle.json" : "bundle.yaml");
    QVERIFY(writeFile(path, bundle));
    BundleImportDialog dialog(&g.gateway);
    if (replace)
        setComboToReplace(dialog);
    dialog.openFile(path);
    QVERIFY2(dialog.problemText().contains(expected), qPrintable(dialog.problemText()));
    QVERIFY(!child<QLabel>(&dialog, "importProblems")->isHidden());
    QVERIFY(!dialog.problemText().contains("sk-plaintext")); // a key is never quoted back
    QVERIFY(!dialog.canApply());
    QVERIFY(!button(&dialog, "applyButton")->isEnabled());
    QVERIFY(!dialog.apply());
    QCOMPARE(dialog.planModel()->rowCount(), 0);
    // Nothing changed.
    QCOMPARE(g.entity(EntityKind::Route, "bills"),
             before.value("routes").toArray().at(0).toObject());
    QCOMPARE(g.entity(EntityKind::Service, "billing"),
             before.value("services").toArray().at(0).toObject());
    QVERIFY(g.entity(EntityKind::Service, "other").isEmpty());
}

void TestBundleDialogs::fileMenuOpensTheDialogs()
{
    TestGateway g;
    QVERIFY(g.start());
    MainWindow window(&g.gateway);
    window.show();
    auto *exportAction = window.findChild<QAction *>("exportBundleAction");
    auto *importAction = window.findChild<QAction *>("importBundleAction");
    QVERIFY(exportAction && importAction);
    QCOMPARE(window.menuBar()->actions().first()->text(), QString("&File"));
    exportAction->trigger();
    QVERIFY(visibleWindow<BundleExportDialog>("bundleExportDialog") ||
            window.findChild<BundleExportDialog *>("bundleExportDialog")->isVisible());
}

QTEST_MAIN(TestBundleDialogs)
#include "tst_bundledialogs.moc"
