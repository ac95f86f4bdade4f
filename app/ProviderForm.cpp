#include "ProviderForm.h"

#include "Gateway.h"
#include "ProviderHeadersModel.h"
#include "ai/ProviderModelLister.h"
#include "ai/ProviderType.h"
#include "secrets/SecretReference.h"
#include "secrets/SecretResolver.h"
#include "secrets/SecretStore.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace gh {

namespace {

constexpr int DefaultTimeoutMs = 600000; // SPEC §3

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

// OPENAI_API_KEY, AZURE_OPENAI_API_KEY, …: the variable a user of that SDK would have set.
QString suggestedEnvName(const QString &type)
{
    if (type == QLatin1String("openai-compatible"))
        return QStringLiteral("API_KEY");
    return type.toUpper().replace(u'-', u'_') + QStringLiteral("_API_KEY");
}

} // namespace

ProviderForm::ProviderForm(Gateway *gateway, QWidget *parent)
    : EntityForm(EntityKind::Provider, parent)
    , m_gateway(gateway)
    , m_lister(new ProviderModelLister(this))
    , m_type(new QComboBox(this))
    , m_baseUrl(new QLineEdit(this))
    , m_apiVersion(new QLineEdit(this))
    , m_apiKey(new QLineEdit(this))
    , m_removeKey(new QPushButton(tr("Remove"), this))
    , m_keyNote(new QLabel(this))
    , m_keyError(ProblemDisplay::createMessageLabel(QStringLiteral("keychainError"), this))
    , m_headersModel(new ProviderHeadersModel(this))
    , m_headers(new QTableView(this))
    , m_addHeader(new QPushButton(tr("Add"), this))
    , m_removeHeader(new QPushButton(tr("Remove"), this))
    , m_timeout(new QSpinBox(this))
    , m_test(new QPushButton(tr("Test Connection"), this))
    , m_testResult(new QLabel(this))
    , m_models(new QListWidget(this))
{
    m_type->setObjectName(QStringLiteral("typeCombo"));
    for (ProviderType type : ProviderTypes::all())
        m_type->addItem(ProviderTypes::name(type), ProviderTypes::name(type));
    m_type->setToolTip(tr("The API the provider speaks; most are OpenAI's dialect at their own "
                          "address."));
    addField(tr("Type"), m_type, QStringLiteral("type"), QStringLiteral("typeError"));

    m_baseUrl->setObjectName(QStringLiteral("baseUrlEdit"));
    m_baseUrl->setToolTip(tr("What the provider's official SDK takes as base URL. Empty: the "
                             "type's default."));
    addField(tr("Base URL"), m_baseUrl, QStringLiteral("base_url"), QStringLiteral("baseUrlError"));

    m_apiVersion->setObjectName(QStringLiteral("apiVersionEdit"));
    m_apiVersion->setPlaceholderText(ProviderTypes::defaultAzureApiVersion());
    m_apiVersion->setToolTip(tr("Azure OpenAI's api-version query parameter."));
    addField(tr("API version"), m_apiVersion, QStringLiteral("api_version"),
             QStringLiteral("apiVersionError"));

    // The key: a password field, a note on where the key lives, and keychain errors.
    m_apiKey->setObjectName(QStringLiteral("apiKeyEdit"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setClearButtonEnabled(true);
    m_removeKey->setObjectName(QStringLiteral("removeKeyButton"));
    m_removeKey->setToolTip(tr("Stop using the key in the keychain (the entry itself stays)."));
    m_keyNote->setObjectName(QStringLiteral("apiKeyNote"));
    m_keyNote->setWordWrap(true);
    m_keyNote->setEnabled(false); // greyed: a note, not a value
    m_keyError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *keyBox = new QWidget(this);
    auto *keyLayout = new QVBoxLayout(keyBox);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyLayout->setSpacing(2);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_apiKey, 1);
    keyRow->addWidget(m_removeKey);
    keyLayout->addLayout(keyRow);
    keyLayout->addWidget(m_keyNote);
    keyLayout->addWidget(m_keyError);
    addField(tr("API key"), keyBox, QStringLiteral("api_key"), QStringLiteral("apiKeyError"), {},
             m_apiKey);

    m_headers->setObjectName(QStringLiteral("headersView"));
    m_headers->setModel(m_headersModel);
    m_headers->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headers->setEditTriggers(QAbstractItemView::DoubleClicked |
                               QAbstractItemView::EditKeyPressed |
                               QAbstractItemView::AnyKeyPressed);
    m_headers->horizontalHeader()->setSectionResizeMode(ProviderHeadersModel::ValueColumn,
                                                        QHeaderView::Stretch);
    m_headers->verticalHeader()->hide();
    m_headers->setMinimumHeight(m_headers->fontMetrics().lineSpacing() * 5);
    m_headers->setMaximumHeight(m_headers->fontMetrics().lineSpacing() * 8);
    m_addHeader->setObjectName(QStringLiteral("addHeaderButton"));
    m_removeHeader->setObjectName(QStringLiteral("removeHeaderButton"));
    auto *headers = new QWidget(this);
    auto *headersLayout = new QVBoxLayout(headers);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->addWidget(m_headers);
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(m_addHeader);
    headerButtons->addWidget(m_removeHeader);
    headerButtons->addStretch();
    headersLayout->addLayout(headerButtons);
    addField(tr("Extra headers"), headers, QStringLiteral("headers"),
             QStringLiteral("headersError"), {}, m_headers);

    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(1, 3600000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setToolTip(tr("How long to wait for the provider's answer before giving up."));
    addField(tr("Timeout"), m_timeout, QStringLiteral("timeout_ms"),
             QStringLiteral("timeoutError"));

    m_test->setObjectName(QStringLiteral("testConnectionButton"));
    m_test->setToolTip(tr("Ask the provider for its models, with the settings above (saved or "
                          "not)."));
    m_testResult->setObjectName(QStringLiteral("testResultLabel"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_models->setObjectName(QStringLiteral("modelList"));
    m_models->setMaximumHeight(m_models->fontMetrics().lineSpacing() * 8);
    m_models->hide();
    auto *test = new QWidget(this);
    auto *testLayout = new QVBoxLayout(test);
    testLayout->setContentsMargins(0, 0, 0, 0);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addStretch();
    testLayout->addLayout(testRow);
    testLayout->addWidget(m_testResult);
    testLayout->addWidget(m_models);
    addRow(QString(), test);

    connect(m_type, &QComboBox::currentIndexChanged, this, &ProviderForm::typeChanged);
    connect(m_baseUrl, &QLineEdit::textEdited, this, &ProviderForm::markEdited);
    connect(m_apiVersion, &QLineEdit::textEdited, this, &ProviderForm::markEdited);
    connect(m_apiKey, &QLineEdit::textChanged, this, &ProviderForm::keyTextChanged);
    connect(m_removeKey, &QPushButton::clicked, this, &ProviderForm::removeStoredKey);
    connect(m_addHeader, &QPushButton::clicked, this, &ProviderForm::addHeader);
    connect(m_removeHeader, &QPushButton::clicked, this, &ProviderForm::removeHeaders);
    connect(m_headers->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_removeHeader->setEnabled(m_headers->selectionModel()->hasSelection()); });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_headersModel, signal, this, &ProviderForm::markEdited);
    connect(m_headersModel, &QAbstractItemModel::dataChanged, this, &ProviderForm::markEdited);
    connect(m_headersModel, &QAbstractItemModel::modelReset, this, &ProviderForm::markEdited);
    connect(m_timeout, &QSpinBox::valueChanged, this, &ProviderForm::markEdited);
    connect(m_test, &QPushButton::clicked, this, &ProviderForm::testConnection);
    connect(m_lister, &ProviderModelLister::finished, this, &ProviderForm::listed);
    connect(m_lister, &ProviderModelLister::failed, this, &ProviderForm::listFailed);
    // The note names the keychain entry, which follows the name.
    connect(this, &EntityForm::edited, this, &ProviderForm::updateKeyNote);
    m_removeHeader->setEnabled(false);
    unload();
}

QString ProviderForm::keychainEntry(const QString &providerName)
{
    return QStringLiteral("provider/") + providerName;
}

QString ProviderForm::keychainReference(const QString &providerName)
{
    return QStringLiteral("${keychain:%1}").arg(keychainEntry(providerName));
}

SecretStore *ProviderForm::secretStore() const
{
    if (m_secretStoreOverride)
        return m_secretStoreOverride;
    return m_gateway ? m_gateway->secretStore() : nullptr;
}

QJsonObject ProviderForm::defaults() const
{
    return {{key("type"), QStringLiteral("openai")},
            {key("headers"), QJsonObject()},
            {key("timeout_ms"), DefaultTimeoutMs}};
}

QString ProviderForm::type() const
{
    return m_type->currentData().toString();
}

void ProviderForm::readEntity(const QJsonObject &entity)
{
    const QString typeName = entity.value(key("type")).toString(QStringLiteral("openai"));
    if (m_type->findData(typeName) < 0)
        m_type->addItem(typeName, typeName); // unknown to this version: shown, saving says why
    m_type->setCurrentIndex(m_type->findData(typeName));
    // The store fills in the type's default URL; showing it empty keeps "the default".
    const QString baseUrl = entity.value(key("base_url")).toString();
    const auto type = ProviderTypes::fromName(typeName);
    m_baseUrl->setText(type && baseUrl == ProviderTypes::defaultBaseUrl(*type) ? QString()
                                                                               : baseUrl);
    m_apiVersion->setText(entity.value(key("api_version")).toString());

    const QString apiKey = entity.value(key("api_key")).toString();
    const auto reference = SecretReference::parse(apiKey);
    if (reference && reference->kind() == SecretReference::Kind::Keychain) {
        m_keychainReference = apiKey;
        m_apiKey->clear();
    } else {
        m_keychainReference.clear();
        // References are not secret; anything else in there is not ours to show.
        m_apiKey->setText(reference ? apiKey : QString());
    }
    m_keyError->clear();
    m_keyError->hide();

    m_headersModel->setHeaders(entity.value(key("headers")).toObject());
    m_timeout->setValue(entity.value(key("timeout_ms")).toInt(DefaultTimeoutMs));
    m_lister->abort();
    m_testResult->clear();
    m_models->clear();
    m_models->hide();
    typeChanged();
    keyTextChanged();
}

void ProviderForm::writeEntity(QJsonObject &entity) const
{
    const QString typeName = type();
    entity.insert(key("type"), typeName);
    const QString baseUrl = m_baseUrl->text().trimmed();
    if (baseUrl.isEmpty())
        entity.remove(key("base_url"));
    else
        entity.insert(key("base_url"), baseUrl);
    const QString apiVersion = m_apiVersion->text().trimmed();
    if (typeName == QLatin1String("azure-openai") && !apiVersion.isEmpty())
        entity.insert(key("api_version"), apiVersion);
    else
        entity.remove(key("api_version"));

    // A key typed in plain text is not written here: it goes to the keychain on save.
    const QString text = m_apiKey->text().trimmed();
    if (SecretReference::looksLikeReference(text))
        entity.insert(key("api_key"), text);
    else if (!m_keychainReference.isEmpty())
        entity.insert(key("api_key"), m_keychainReference);
    else
        entity.remove(key("api_key"));

    entity.insert(key("headers"), m_headersModel->headers());
    entity.insert(key("timeout_ms"), m_timeout->value());
}

void ProviderForm::typeChanged()
{
    const auto type = ProviderTypes::fromName(this->type());
    const QString url = type ? ProviderTypes::defaultBaseUrl(*type) : QString();
    if (!url.isEmpty())
        m_baseUrl->setPlaceholderText(url);
    else if (type == ProviderType::AzureOpenAi)
        m_baseUrl->setPlaceholderText(tr("required, e.g. https://RESOURCE.openai.azure.com"));
    else
        m_baseUrl->setPlaceholderText(tr("required, e.g. http://127.0.0.1:8000/v1"));
    const bool azure = type == ProviderType::AzureOpenAi;
    m_apiVersion->setEnabled(azure);
    if (!azure)
        m_apiVersion->clear();
    m_apiVersion->setPlaceholderText(azure ? ProviderTypes::defaultAzureApiVersion()
                                           : tr("azure-openai only"));
    updateKeyNote();
    markEdited();
}

bool ProviderForm::hasPendingKey() const
{
    const QString text = m_apiKey->text().trimmed();
    return !text.isEmpty() && !SecretReference::looksLikeReference(text);
}

void ProviderForm::keyTextChanged()
{
    // A reference is no secret: show what was typed, so a typo can be seen.
    m_apiKey->setEchoMode(SecretReference::looksLikeReference(m_apiKey->text().trimmed())
                              ? QLineEdit::Normal
                              : QLineEdit::Password);
    m_keyError->clear();
    m_keyError->hide();
    ProblemDisplay::setInvalid(m_apiKey, false);
    updateKeyNote();
    markEdited();
    Q_EMIT pendingKeyChanged();
}

void ProviderForm::updateKeyNote()
{
    const QString text = m_apiKey->text().trimmed();
    const QString entry = keychainEntry(name().isEmpty() ? QStringLiteral("NAME") : name());
    QString note;
    if (hasPendingKey()) {
        note = tr("Saving stores this key in the OS keychain as “%1”; the configuration keeps "
                  "only the reference to it.")
                   .arg(entry);
    } else if (!text.isEmpty()) {
        note = tr("A reference: the key is read from there when the gateway starts and when "
                  "the configuration changes.");
    } else if (!m_keychainReference.isEmpty()) {
        note = tr("The key is in the OS keychain (%1). Type a new key to replace it.")
                   .arg(m_keychainReference);
    } else if (type() == QLatin1String("ollama") || type() == QLatin1String("openai-compatible")) {
        note = tr("No key; local servers usually need none.");
    } else {
        note = tr("Type the key (it is stored in the OS keychain) or a reference such as "
                  "${env:%1}.")
                   .arg(suggestedEnvName(type()));
    }
    m_keyNote->setText(note);
    m_removeKey->setVisible(!m_keychainReference.isEmpty());
    m_removeKey->setEnabled(text.isEmpty());
}

void ProviderForm::removeStoredKey()
{
    m_keychainReference.clear();
    updateKeyNote();
    markEdited();
}

void ProviderForm::showKeyError(const QString &message)
{
    m_keyError->setText(message);
    m_keyError->show();
    ProblemDisplay::setInvalid(m_apiKey, true);
}

bool ProviderForm::storePendingKey()
{
    if (!hasPendingKey())
        return true;
    const QString providerName = name();
    if (providerName.isEmpty()) {
        showKeyError(tr("Enter the provider's name first: the key is stored under it."));
        return false;
    }
    SecretStore *store = secretStore();
    const SecretResult result =
        store ? store->write(keychainEntry(providerName), m_apiKey->text().trimmed())
              : SecretResult::noBackend();
    if (!result.ok) {
        // The store's message says what failed (and names the reference forms); the hint
        // gives this provider's reference to copy.
        showKeyError(tr("The key was not saved: %1.\nFor this provider, for example: "
                        "${env:%2}, with that variable set before Gatehouse starts.")
                         .arg(result.message, suggestedEnvName(type())));
        return false;
    }
    m_keychainReference = keychainReference(providerName);
    m_apiKey->clear(); // the field is for typing; what is stored is never shown again
    Q_EMIT keyStored(providerName);
    return true;
}

void ProviderForm::addHeader()
{
    const int row = m_headersModel->addHeader();
    const QModelIndex index = m_headersModel->index(row, ProviderHeadersModel::NameColumn);
    m_headers->setCurrentIndex(index);
    m_headers->edit(index);
}

void ProviderForm::removeHeaders()
{
    QList<int> rows;
    const QModelIndexList selected = m_headers->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    std::sort(rows.begin(), rows.end(), std::greater<>());
    for (int row : std::as_const(rows))
        m_headersModel->removeRow(row);
}

void ProviderForm::testConnection()
{
    m_models->clear();
    m_models->hide();
    const SecretResolver resolver(secretStore());
    QJsonObject provider = entity();
    QString apiKey;
    if (hasPendingKey()) {
        apiKey = m_apiKey->text().trimmed();
    } else if (const QString reference = provider.value(key("api_key")).toString();
               !reference.isEmpty()) {
        const SecretResult resolved = resolver.resolve(reference);
        if (!resolved.ok) {
            listFailed(tr("The key could not be read: %1").arg(resolved.message));
            return;
        }
        apiKey = resolved.value;
    }
    QJsonObject headers = provider.value(key("headers")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
        const QString value = it.value().toString();
        if (!SecretReference::looksLikeReference(value))
            continue;
        const SecretResult resolved = resolver.resolve(value);
        if (!resolved.ok) {
            listFailed(tr("Header %1 could not be read: %2").arg(it.key(), resolved.message));
            return;
        }
        it.value() = resolved.value;
    }
    provider.insert(key("headers"), headers);
    m_testResult->setText(tr("Asking the provider for its models…"));
    m_test->setEnabled(false);
    m_lister->list(provider, apiKey);
}

void ProviderForm::listed(const QStringList &models)
{
    m_test->setEnabled(true);
    QPalette palette = m_testResult->palette();
    palette.setColor(QPalette::WindowText, this->palette().color(QPalette::WindowText));
    m_testResult->setPalette(palette);
    if (models.isEmpty()) {
        m_testResult->setText(tr("Connected. The provider lists no models."));
        return;
    }
    m_testResult->setText(
        tr("Connected. The provider offers %n model(s):", nullptr, int(models.size())));
    m_models->addItems(models);
    m_models->show();
}

void ProviderForm::listFailed(const QString &message)
{
    m_test->setEnabled(true);
    QPalette palette = m_testResult->palette();
    palette.setColor(QPalette::WindowText, ProblemDisplay::errorColor());
    m_testResult->setPalette(palette);
    m_testResult->setText(tr("Connection failed: %1").arg(message));
}

} // namespace gh
