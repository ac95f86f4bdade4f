#include "ConsumerForm.h"

#include "ConsumerKeysPanel.h"
#include "Gateway.h"
#include "NumberEdit.h"
#include "StringListEdit.h"
#include "ValuePicker.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace gh {

namespace {

constexpr int SpendRefreshMs = 2000;
constexpr int BarSteps = 10000; // the bar in hundredths of a percent of the budget

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList result;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        result.append(item.toString());
    return result;
}

QGroupBox *checkableBox(const QString &title, const QString &objectName, QWidget *parent,
                        QFormLayout **layout)
{
    auto *box = new QGroupBox(title, parent);
    box->setObjectName(objectName);
    box->setCheckable(true);
    box->setChecked(false);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    *layout = form;
    return box;
}

} // namespace

QString ConsumerForm::formatUsd(double usd)
{
    // Small amounts keep their digits: a cheap model's call costs fractions of a cent.
    const int decimals = usd > 0 && usd < 0.01 ? 4 : 2;
    return QStringLiteral("USD %1").arg(QString::number(usd, 'f', decimals));
}

ConsumerForm::ConsumerForm(Gateway *gateway, QWidget *parent)
    : EntityForm(EntityKind::Consumer, parent)
    , m_gateway(gateway)
    , m_allowModels(new StringListEdit(this))
    , m_modelPicker(nullptr)
    , m_rateLimitBox(nullptr)
    , m_perMinute(nullptr)
    , m_tokensPerMinute(nullptr)
    , m_concurrent(nullptr)
    , m_budgetBox(nullptr)
    , m_budgetUsd(nullptr)
    , m_budgetPeriod(nullptr)
    , m_spendBar(new QProgressBar(this))
    , m_spendLabel(new QLabel(this))
    , m_keys(new ConsumerKeysPanel(gateway, this))
    , m_refresh(new QTimer(this))
{
    // Allowed models: globs over the public model names.
    auto *models = new QWidget(this);
    auto *modelsLayout = new QVBoxLayout(models);
    modelsLayout->setContentsMargins(0, 0, 0, 0);
    modelsLayout->setSpacing(2);
    m_allowModels->setObjectName(QStringLiteral("allowModelsEdit"));
    m_allowModels->setPlaceholderText(tr("None: no AI model. One name or glob per line, e.g. "
                                         "gpt-* ; * for all"));
    m_allowModels->setToolTip(tr("The public model names this consumer may call; * and ? match "
                                 "any characters."));
    m_modelPicker = new ValuePicker(tr("Add a model…"), m_allowModels, models);
    m_modelPicker->setObjectName(QStringLiteral("modelPicker"));
    modelsLayout->addWidget(m_allowModels);
    modelsLayout->addWidget(m_modelPicker, 0, Qt::AlignLeft);
    addField(
        tr("Allowed models"), models, key("allow_models"), QStringLiteral("allowModelsError"),
        [this](int index) { return m_allowModels->describeItem(index); }, m_allowModels);

    // Rate limits: counted per consumer over every route and AI endpoint it calls.
    QFormLayout *limitForm = nullptr;
    m_rateLimitBox =
        checkableBox(tr("Rate limits"), QStringLiteral("rateLimitBox"), this, &limitForm);
    m_rateLimitBox->setToolTip(tr("Counted for this consumer over all routes and AI endpoints; "
                                  "answers 429 with Retry-After when reached."));
    QLabel *limitMessage =
        ProblemDisplay::createMessageLabel(QStringLiteral("rateLimitError"), m_rateLimitBox);
    limitForm->addRow(limitMessage);
    problems().addField(key("rate_limit"), tr("Rate limits"), m_rateLimitBox, limitMessage);
    m_perMinute = new NumberEdit(NumberEdit::Kind::Integer, m_rateLimitBox);
    m_perMinute->setObjectName(QStringLiteral("requestsPerMinuteEdit"));
    m_perMinute->setPlaceholderText(tr("no limit"));
    problems().addRow(limitForm, tr("Requests per minute"), m_perMinute,
                      QStringLiteral("rate_limit.requests_per_minute"),
                      QStringLiteral("requestsPerMinuteError"));
    m_tokensPerMinute = new NumberEdit(NumberEdit::Kind::Integer, m_rateLimitBox);
    m_tokensPerMinute->setObjectName(QStringLiteral("tokensPerMinuteEdit"));
    m_tokensPerMinute->setPlaceholderText(tr("no limit"));
    m_tokensPerMinute->setToolTip(tr("AI tokens (input + output) per minute, as the providers "
                                     "report them."));
    problems().addRow(limitForm, tr("Tokens per minute"), m_tokensPerMinute,
                      QStringLiteral("rate_limit.tokens_per_minute"),
                      QStringLiteral("tokensPerMinuteError"));
    m_concurrent = new NumberEdit(NumberEdit::Kind::Integer, m_rateLimitBox);
    m_concurrent->setObjectName(QStringLiteral("concurrentEdit"));
    m_concurrent->setPlaceholderText(tr("no limit"));
    m_concurrent->setToolTip(tr("Requests in flight at once."));
    problems().addRow(limitForm, tr("Concurrent requests"), m_concurrent,
                      QStringLiteral("rate_limit.concurrent"), QStringLiteral("concurrentError"));
    addSection(m_rateLimitBox);

    // Budget, and what was spent against it.
    QFormLayout *budgetForm = nullptr;
    m_budgetBox = checkableBox(tr("Budget"), QStringLiteral("budgetBox"), this, &budgetForm);
    m_budgetBox->setToolTip(tr("Once the consumer's AI calls have cost this much in the period, "
                               "further calls are refused (429) until the next period."));
    QLabel *budgetMessage =
        ProblemDisplay::createMessageLabel(QStringLiteral("budgetError"), m_budgetBox);
    budgetForm->addRow(budgetMessage);
    problems().addField(key("budget"), tr("Budget"), m_budgetBox, budgetMessage);
    m_budgetUsd = new NumberEdit(NumberEdit::Kind::Decimal, m_budgetBox);
    m_budgetUsd->setObjectName(QStringLiteral("budgetUsdEdit"));
    m_budgetUsd->setPlaceholderText(tr("e.g. 20"));
    problems().addRow(budgetForm, tr("Amount (USD)"), m_budgetUsd, QStringLiteral("budget.usd"),
                      QStringLiteral("budgetUsdError"));
    m_budgetPeriod = new QComboBox(m_budgetBox);
    m_budgetPeriod->setObjectName(QStringLiteral("budgetPeriodCombo"));
    m_budgetPeriod->addItem(tr("per day"), QStringLiteral("day"));
    m_budgetPeriod->addItem(tr("per week (Monday to Sunday)"), QStringLiteral("week"));
    m_budgetPeriod->addItem(tr("per month"), QStringLiteral("month"));
    m_budgetPeriod->setCurrentIndex(2);
    m_budgetPeriod->setToolTip(tr("Calendar periods in UTC."));
    problems().addRow(budgetForm, tr("Period"), m_budgetPeriod, QStringLiteral("budget.period"),
                      QStringLiteral("budgetPeriodError"));
    addSection(m_budgetBox);

    auto *spend = new QWidget(this);
    auto *spendLayout = new QVBoxLayout(spend);
    spendLayout->setContentsMargins(0, 0, 0, 0);
    spendLayout->setSpacing(2);
    m_spendBar->setObjectName(QStringLiteral("spendBar"));
    m_spendBar->setRange(0, BarSteps);
    m_spendBar->setTextVisible(true);
    m_spendBar->setToolTip(tr("From the AI calls' token usage and the price table; a model "
                              "without a known price costs nothing here."));
    m_spendLabel->setObjectName(QStringLiteral("spendLabel"));
    m_spendLabel->setWordWrap(true);
    spendLayout->addWidget(m_spendBar);
    spendLayout->addWidget(m_spendLabel);
    addRow(tr("Spent"), spend);

    auto *keysBox = new QGroupBox(tr("Keys"), this);
    keysBox->setObjectName(QStringLiteral("keysBox"));
    auto *keysLayout = new QVBoxLayout(keysBox);
    m_keys->setObjectName(QStringLiteral("keysPanel"));
    keysLayout->addWidget(m_keys);
    addSection(keysBox);

    connect(m_allowModels, &StringListEdit::valuesChanged, this, &ConsumerForm::markEdited);
    for (NumberEdit *edit : {m_perMinute, m_tokensPerMinute, m_concurrent, m_budgetUsd})
        connect(edit, &QLineEdit::textChanged, this, &ConsumerForm::markEdited);
    connect(m_budgetPeriod, &QComboBox::currentIndexChanged, this, &ConsumerForm::markEdited);
    for (QGroupBox *box : {m_rateLimitBox, m_budgetBox})
        connect(box, &QGroupBox::toggled, this, &ConsumerForm::markEdited);
    m_refresh->setInterval(SpendRefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &ConsumerForm::refreshSpend);
    // Expiry and the end of a grace period need no config change: follow the clock too.
    connect(m_refresh, &QTimer::timeout, m_keys, &ConsumerKeysPanel::refresh);
    if (gateway) {
        connect(gateway, &Gateway::configChanged, this, &ConsumerForm::reloadModels);
        connect(gateway, &Gateway::stateChanged, this, &ConsumerForm::reloadModels);
        connect(gateway, &Gateway::configChanged, this, &ConsumerForm::refreshSpend);
    }
    reloadModels();
    unload();
}

QJsonObject ConsumerForm::defaults() const
{
    // What the validation fills in for a consumer written without allow_models.
    return {{key("allow_models"), QJsonArray{QStringLiteral("*")}}};
}

void ConsumerForm::readEntity(const QJsonObject &entity)
{
    // Keys and spend belong to a stored consumer; a new one has neither yet.
    m_savedName = isLoaded() && !isNew() ? entity.value(key("name")).toString() : QString();
    m_allowModels->setValues(toStringList(entity.value(key("allow_models"))));

    const QJsonObject limit = entity.value(key("rate_limit")).toObject();
    m_rateLimitBox->setChecked(entity.contains(key("rate_limit")));
    m_perMinute->setValue(limit.value(key("requests_per_minute")));
    m_tokensPerMinute->setValue(limit.value(key("tokens_per_minute")));
    m_concurrent->setValue(limit.value(key("concurrent")));

    const QJsonObject budget = entity.value(key("budget")).toObject();
    m_budgetBox->setChecked(entity.contains(key("budget")));
    m_budgetUsd->setValue(budget.value(key("usd")));
    const int period = m_budgetPeriod->findData(budget.value(key("period")).toString());
    m_budgetPeriod->setCurrentIndex(
        period >= 0 ? period : m_budgetPeriod->findData(QStringLiteral("month")));

    m_keys->setConsumer(m_savedName);
    refreshSpend();
}

void ConsumerForm::writeEntity(QJsonObject &entity) const
{
    // Keys are not the form's: left out, the store keeps the consumer's keys as they are.
    entity.remove(key("keys"));
    entity.insert(key("allow_models"), QJsonArray::fromStringList(m_allowModels->values()));

    if (m_rateLimitBox->isChecked()) {
        QJsonObject limit = entity.value(key("rate_limit")).toObject();
        m_perMinute->writeTo(limit, key("requests_per_minute"));
        m_tokensPerMinute->writeTo(limit, key("tokens_per_minute"));
        m_concurrent->writeTo(limit, key("concurrent"));
        entity.insert(key("rate_limit"), limit);
    } else {
        entity.remove(key("rate_limit"));
    }

    if (m_budgetBox->isChecked()) {
        QJsonObject budget = entity.value(key("budget")).toObject();
        m_budgetUsd->writeTo(budget, key("usd"));
        const QString period = m_budgetPeriod->currentData().toString();
        // A month is the default: not written unless it was there or another is chosen.
        if (period != QLatin1String("month") || budget.contains(key("period")))
            budget.insert(key("period"), period);
        entity.insert(key("budget"), budget);
    } else {
        entity.remove(key("budget"));
    }
}

void ConsumerForm::reloadModels()
{
    QStringList names;
    if (m_gateway && m_gateway->state() != Gateway::State::Closed) {
        const QList<QJsonObject> models = m_gateway->entities(EntityKind::Model);
        for (const QJsonObject &model : models)
            names.append(model.value(key("name")).toString());
    }
    names.sort(Qt::CaseInsensitive);
    names.prepend(QStringLiteral("*"));
    m_modelPicker->setChoices(names);
}

void ConsumerForm::refreshSpend()
{
    if (!m_gateway || m_savedName.isEmpty()) {
        m_spendBar->hide();
        m_spendLabel->setText(tr("Shown once the consumer is saved."));
        return;
    }
    const BudgetStatus status = m_gateway->consumerSpend(m_savedName);
    const Budget::Period period = status.budget ? status.budget->period : Budget::Period::Month;
    const QString when = period == Budget::Period::Day    ? tr("today")
                         : period == Budget::Period::Week ? tr("this week")
                                                          : tr("this month");
    if (!status.budget) {
        m_spendBar->hide();
        m_spendLabel->setText(tr("%1 %2 (UTC); no budget.").arg(formatUsd(status.spentUsd), when));
        return;
    }
    const double limit = status.budget->usd;
    const double share = limit > 0 ? status.spentUsd / limit : 1.0;
    m_spendBar->setValue(int(std::lround(qBound(0.0, share, 1.0) * BarSteps)));
    // No "%" directly before p, v or m: QProgressBar would read it as a placeholder.
    m_spendBar->setFormat(tr("%1 of %2 %3 (%4 %)")
                              .arg(formatUsd(status.spentUsd), formatUsd(limit), when)
                              .arg(int(std::floor(share * 100))));
    QString color;
    if (status.exhausted())
        color = ProblemDisplay::errorColor().name();
    else if (share >= 0.8)
        color = QStringLiteral("#e0a000"); // the gateway warns at 80 %
    m_spendBar->setStyleSheet(
        color.isEmpty() ? QString()
                        : QStringLiteral("QProgressBar::chunk { background: %1; }").arg(color));
    m_spendBar->setProperty("exhausted", status.exhausted());
    const QString resets = status.periodEnd.toString(Qt::ISODate);
    m_spendLabel->setText(
        status.exhausted()
            ? tr("Budget spent: AI calls of this consumer are refused until %1 (UTC).").arg(resets)
            : tr("Starts afresh on %1 (UTC).").arg(resets));
    m_spendBar->show();
}

void ConsumerForm::showEvent(QShowEvent *event)
{
    EntityForm::showEvent(event);
    refreshSpend();
    m_keys->refresh();
    m_refresh->start();
}

void ConsumerForm::hideEvent(QHideEvent *event)
{
    m_refresh->stop();
    EntityForm::hideEvent(event);
}

} // namespace gh
