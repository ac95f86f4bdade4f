#include "EntityListPage.h"

#include "EntityTableModel.h"
#include "Gateway.h"

#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace gh {

EntityListPage::EntityListPage(Gateway *gateway, EntityKind kind, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_kind(kind)
    , m_model(new EntityTableModel(gateway, kind, this))
    , m_stack(new QStackedWidget(this))
    , m_table(new QTableView(this))
    , m_emptyText(new QLabel(this))
    , m_listPane(m_table)
{
    auto *heading = new QLabel(title(kind), this);
    heading->setObjectName(QStringLiteral("pageTitle"));
    QFont headingFont = heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.4);
    headingFont.setBold(true);
    heading->setFont(headingFont);

    auto *purposeLabel = new QLabel(purpose(), this);
    purposeLabel->setWordWrap(true);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_table->setObjectName(QStringLiteral("entityTable"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);

    m_emptyText->setObjectName(QStringLiteral("emptyStateText"));
    m_emptyText->setWordWrap(true);
    m_emptyText->setTextFormat(Qt::RichText);
    m_emptyText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_emptyText->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto *emptyContent = new QWidget(this);
    auto *emptyLayout = new QVBoxLayout(emptyContent);
    emptyLayout->setContentsMargins(0, 12, 0, 0);
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addStretch();
    // Scrolls rather than widening the window: URLs and the example command do not wrap.
    auto *emptyState = new QScrollArea(this);
    emptyState->setObjectName(QStringLiteral("emptyState"));
    emptyState->setWidgetResizable(true);
    emptyState->setFrameShape(QFrame::NoFrame);
    emptyState->setWidget(emptyContent);

    m_stack->addWidget(emptyState);
    m_stack->addWidget(m_listPane);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(purposeLabel);
    layout->addWidget(m_stack, 1);

    connect(m_model, &QAbstractItemModel::modelReset, this, &EntityListPage::updateEmptyState);
    // The instructions name the admin URL and data dir, which change with a restart.
    connect(gateway, &Gateway::stateChanged, this, &EntityListPage::updateEmptyState);
    updateEmptyState();
}

void EntityListPage::addEditor(QWidget *toolBar, QWidget *pane)
{
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("editorSplitter"));
    splitter->setChildrenCollapsible(false);
    m_stack->removeWidget(m_listPane);
    splitter->addWidget(m_table);
    splitter->addWidget(pane);
    m_table->show(); // the stack hid it while it was not the current page
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    m_listPane = splitter;
    m_stack->insertWidget(1, m_listPane);
    auto *layout = qobject_cast<QVBoxLayout *>(this->layout());
    Q_ASSERT(layout);
    layout->insertWidget(layout->indexOf(m_stack), toolBar);
    updateEmptyState();
}

void EntityListPage::setListForced(bool forced)
{
    if (m_listForced == forced)
        return;
    m_listForced = forced;
    updateEmptyState();
}

QString EntityListPage::addInstructions() const
{
    return tr("Editors for %1 arrive in a later version. Until then, add them in one of two ways:")
        .arg(title(m_kind));
}

QString EntityListPage::title(EntityKind kind)
{
    switch (kind) {
    case EntityKind::Route:
        return tr("Routes");
    case EntityKind::Service:
        return tr("Services");
    case EntityKind::Provider:
        return tr("Providers");
    case EntityKind::Model:
        return tr("Models");
    case EntityKind::PromptApi:
        return tr("Prompt APIs");
    case EntityKind::Consumer:
        return tr("Consumers");
    case EntityKind::Price:
        return tr("Prices");
    }
    return {};
}

QString EntityListPage::purpose() const
{
    switch (m_kind) {
    case EntityKind::Route:
        return tr("Routes send requests whose path (and optionally method and host) matches to "
                  "a service, with authentication, rate limits, caching and CORS.");
    case EntityKind::Service:
        return tr("Services are plain REST upstreams: one or more target URLs the gateway "
                  "balances requests across, with health checks and retries.");
    case EntityKind::Provider:
        return tr("Providers are the AI vendors and local servers the gateway calls (OpenAI, "
                  "Anthropic, Gemini, Ollama, …) and where their API key comes from. Key values "
                  "are never shown.");
    case EntityKind::Model:
        return tr("Models are the names clients ask for. Each one maps to provider models, "
                  "load-balanced by weight, with fallbacks tried on errors.");
    case EntityKind::PromptApi:
        return tr("Prompt APIs turn a prompt template into a small REST endpoint with declared "
                  "inputs.");
    case EntityKind::Consumer:
        return tr("Consumers are the apps and people calling the gateway, each with its own "
                  "keys, allowed models, rate limits and budget.");
    case EntityKind::Price:
        return tr("Prices override the built-in price table, in USD per million tokens.");
    }
    return {};
}

QString EntityListPage::exampleBody() const
{
    switch (m_kind) {
    case EntityKind::Route:
        return QStringLiteral(R"({"match": {"paths": ["/billing"]}, "service": "billing"})");
    case EntityKind::Service:
        return QStringLiteral(R"({"targets": [{"url": "http://127.0.0.1:9000"}]})");
    case EntityKind::Provider:
        return QStringLiteral(R"({"type": "openai", "api_key": "${env:OPENAI_API_KEY}"})");
    case EntityKind::Model:
        return QStringLiteral(R"({"targets": [{"provider": "openai", "model": "gpt-4o-mini"}]})");
    case EntityKind::PromptApi:
        return QStringLiteral(
            R"({"path": "/prompts/summary", "model": "fast", "template": "Summarise: {{text}}", )"
            R"("inputs": {"text": {"type": "string", "required": true}}})");
    case EntityKind::Consumer:
        return QStringLiteral(R"({"keys": ["${env:GATEHOUSE_KEY}"], "allow_models": ["*"]})");
    case EntityKind::Price:
        return QStringLiteral(R"({"provider": "openai", "model": "gpt-4o-mini", "input": 0.15, )"
                              R"("output": 0.6})");
    }
    return {};
}

void EntityListPage::updateEmptyState()
{
    const bool empty = m_model->rowCount() == 0;
    m_stack->setCurrentIndex(empty && !m_listForced ? 0 : 1);
    if (!empty) {
        m_table->resizeColumnsToContents();
        return;
    }

    const GatewayOptions &options = m_gateway->options();
    QString adminUrl = m_gateway->adminUrl();
    if (m_gateway->state() != Gateway::State::Running || adminUrl.isEmpty())
        adminUrl = QStringLiteral("http://") +
                   GatewayOptions::formatHostPort(options.adminAddress, options.adminPort);
    const QString dataDir =
        options.dataDir.isEmpty() ? GatewayOptions::defaultDataDir() : options.dataDir;
    const QString tokenFile = QDir(dataDir).filePath(QStringLiteral("admin.token"));
    const QString section = sectionName(m_kind);
    const QString collection = collectionPath(m_kind);
    const QString plural = title(m_kind);

    const QString command = QStringLiteral("curl -X PUT %1/%2/NAME \\\n"
                                           "  -H \"Authorization: Bearer $(cat '%3')\" \\\n"
                                           "  -H 'Content-Type: application/json' \\\n"
                                           "  -d '%4'")
                                .arg(adminUrl, collection, tokenFile, exampleBody());

    QString html;
    html += QStringLiteral("<h3>%1</h3>").arg(tr("No %1 yet").arg(plural).toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>").arg(addInstructions().toHtmlEscaped());
    html += QStringLiteral("<p><b>%1</b> %2</p>")
                .arg(tr("Config file:").toHtmlEscaped(),
                     tr("start Gatehouse with <code>--config FILE</code> (YAML or JSON) and list "
                        "them under <code>%1:</code>.")
                         .arg(section));
    html += QStringLiteral("<p><b>%1</b> %2</p>")
                .arg(tr("Admin API:").toHtmlEscaped(),
                     tr("<code>PUT %1/%2/{name}</code> with the admin token from "
                        "<code>%3</code>, for example:")
                         .arg(adminUrl.toHtmlEscaped(), collection, tokenFile.toHtmlEscaped()));
    html += QStringLiteral("<pre>%1</pre>").arg(command.toHtmlEscaped());
    m_emptyText->setText(html);
}

} // namespace gh
