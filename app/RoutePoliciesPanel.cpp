#include "RoutePoliciesPanel.h"

#include "Gateway.h"
#include "NumberEdit.h"
#include "ProblemDisplay.h"
#include "StringListEdit.h"
#include "ValuePicker.h"
#include "secrets/SecretReference.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace gh {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

// A list, or a single string as a list of one (jwt.audience may be either).
QStringList toStringList(const QJsonValue &value)
{
    if (value.isString())
        return {value.toString()};
    QStringList result;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array)
        result.append(item.toString());
    return result;
}

// "GET, POST" or "GET POST": the short lists typed on one line.
QStringList splitList(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

// An empty list removes the key, unless it was read as an empty list (left alone).
void setList(QJsonObject &object, const QString &name, const QStringList &values)
{
    if (!values.isEmpty())
        object.insert(name, QJsonArray::fromStringList(values));
    else if (!(object.value(name).isArray() && object.value(name).toArray().isEmpty()))
        object.remove(name);
}

void setText(QJsonObject &object, const QString &name, const QString &text)
{
    if (text.trimmed().isEmpty())
        object.remove(name);
    else
        object.insert(name, text.trimmed());
}

// Off is written as false only when the key was there; otherwise it stays absent.
void setFlag(QJsonObject &object, const QString &name, bool on)
{
    if (on || object.contains(name))
        object.insert(name, on);
}

} // namespace

const QStringList &RoutePoliciesPanel::jwtAlgorithms()
{
    static const QStringList all{QStringLiteral("HS256"), QStringLiteral("HS384"),
                                 QStringLiteral("HS512"), QStringLiteral("RS256"),
                                 QStringLiteral("ES256")};
    return all;
}

RoutePoliciesPanel::RoutePoliciesPanel(Gateway *gateway, ProblemDisplay &problems, QWidget *parent)
    : QWidget(parent)
    , m_gateway(gateway)
    , m_problems(problems)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    auto *heading = new QLabel(tr("Policies"), this);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    layout->addWidget(heading);

    // Authentication and who may call.
    QFormLayout *authForm = nullptr;
    QGroupBox *authBox = addBox(tr("Authentication"), QStringLiteral("authBox"), false, &authForm);
    m_auth = new QComboBox(authBox);
    m_auth->setObjectName(QStringLiteral("authCombo"));
    m_auth->addItem(tr("none: anyone may call"), QStringLiteral("none"));
    m_auth->addItem(tr("key: a consumer key is required"), QStringLiteral("key"));
    m_auth->addItem(tr("jwt: a signed token is required"), QStringLiteral("jwt"));
    m_problems.addRow(authForm, tr("Mode"), m_auth, key("auth"), QStringLiteral("authError"));

    m_jwtBox = new QWidget(authBox);
    m_jwtBox->setObjectName(QStringLiteral("jwtBox"));
    auto *jwtForm = new QFormLayout(m_jwtBox);
    jwtForm->setContentsMargins(12, 0, 0, 0);
    jwtForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // Problems about the jwt mapping as a whole ("is required when auth is jwt").
    QLabel *jwtMessage = ProblemDisplay::createMessageLabel(QStringLiteral("jwtError"), m_jwtBox);
    jwtForm->addRow(jwtMessage);
    m_problems.addField(key("jwt"), tr("JWT"), m_jwtBox, jwtMessage);

    auto *algorithms = new QWidget(m_jwtBox);
    algorithms->setObjectName(QStringLiteral("jwtAlgorithmsBox"));
    algorithms->setToolTip(tr("None checked: whatever the keys below can verify."));
    auto *algorithmsLayout = new QHBoxLayout(algorithms);
    algorithmsLayout->setContentsMargins(0, 0, 0, 0);
    for (const QString &name : jwtAlgorithms()) {
        auto *check = new QCheckBox(name, algorithms);
        check->setObjectName(QStringLiteral("jwt%1Check").arg(name));
        algorithmsLayout->addWidget(check);
        m_algorithms.append(check);
        connect(check, &QCheckBox::toggled, this, &RoutePoliciesPanel::edited);
    }
    algorithmsLayout->addStretch();
    m_problems.addRow(jwtForm, tr("Algorithms"), algorithms, QStringLiteral("jwt.algorithms"),
                      QStringLiteral("jwtAlgorithmsError"));

    m_jwtSecret = new QLineEdit(m_jwtBox);
    m_jwtSecret->setObjectName(QStringLiteral("jwtSecretEdit"));
    m_jwtSecret->setPlaceholderText(QStringLiteral("${env:JWT_SECRET}"));
    m_jwtSecret->setToolTip(
        tr("The HMAC key for HS256/384/512 as a reference: ${env:NAME}, ${file:PATH} or "
           "${keychain:NAME}. The secret itself is never stored."));
    m_problems.addRow(jwtForm, tr("Secret"), m_jwtSecret, QStringLiteral("jwt.secret"),
                      QStringLiteral("jwtSecretError"));

    auto *publicKey = new QWidget(m_jwtBox);
    auto *publicKeyLayout = new QHBoxLayout(publicKey);
    publicKeyLayout->setContentsMargins(0, 0, 0, 0);
    m_jwtPublicKey = new QLineEdit(publicKey);
    m_jwtPublicKey->setObjectName(QStringLiteral("jwtPublicKeyEdit"));
    m_jwtPublicKey->setPlaceholderText(QStringLiteral("${file:/path/to/idp.pem}"));
    m_jwtPublicKey->setToolTip(tr("For RS256 and ES256: a PEM public key or certificate, as a "
                                  "reference."));
    m_browsePublicKey = new QPushButton(tr("Choose File…"), publicKey);
    m_browsePublicKey->setObjectName(QStringLiteral("jwtPublicKeyBrowseButton"));
    publicKeyLayout->addWidget(m_jwtPublicKey, 1);
    publicKeyLayout->addWidget(m_browsePublicKey);
    m_problems.addRow(jwtForm, tr("Public key"), publicKey, QStringLiteral("jwt.public_key"),
                      QStringLiteral("jwtPublicKeyError"), {}, m_jwtPublicKey);

    m_jwtIssuer = new QLineEdit(m_jwtBox);
    m_jwtIssuer->setObjectName(QStringLiteral("jwtIssuerEdit"));
    m_jwtIssuer->setPlaceholderText(tr("optional, e.g. https://id.example.com/"));
    m_problems.addRow(jwtForm, tr("Issuer"), m_jwtIssuer, QStringLiteral("jwt.issuer"),
                      QStringLiteral("jwtIssuerError"));

    m_jwtAudience = new StringListEdit(m_jwtBox);
    m_jwtAudience->setObjectName(QStringLiteral("jwtAudienceEdit"));
    m_jwtAudience->setPlaceholderText(tr("Optional: accepted audiences, one per line"));
    m_problems.addRow(jwtForm, tr("Audience"), m_jwtAudience, QStringLiteral("jwt.audience"),
                      QStringLiteral("jwtAudienceError"),
                      [this](int index) { return m_jwtAudience->describeItem(index); });

    m_jwtLeeway = new NumberEdit(NumberEdit::Kind::Integer, m_jwtBox);
    m_jwtLeeway->setObjectName(QStringLiteral("jwtLeewayEdit"));
    m_jwtLeeway->setPlaceholderText(tr("60 (default)"));
    m_jwtLeeway->setToolTip(tr("Seconds of clock skew allowed for exp and nbf, 0 to 600."));
    m_problems.addRow(jwtForm, tr("Leeway (s)"), m_jwtLeeway, QStringLiteral("jwt.leeway_s"),
                      QStringLiteral("jwtLeewayError"));

    m_jwtForward = new QCheckBox(tr("Pass the Authorization header to the upstream"), m_jwtBox);
    m_jwtForward->setObjectName(QStringLiteral("jwtForwardCheck"));
    m_problems.addRow(jwtForm, tr("Forward token"), m_jwtForward,
                      QStringLiteral("jwt.forward_token"), QStringLiteral("jwtForwardError"));
    authForm->addRow(m_jwtBox);

    auto *consumers = new QWidget(authBox);
    auto *consumersLayout = new QVBoxLayout(consumers);
    consumersLayout->setContentsMargins(0, 0, 0, 0);
    consumersLayout->setSpacing(2);
    m_consumers = new StringListEdit(consumers);
    m_consumers->setObjectName(QStringLiteral("consumersEdit"));
    m_consumers->setPlaceholderText(tr("One consumer name per line; * for everyone"));
    m_consumerPicker = new ValuePicker(tr("Add a consumer…"), m_consumers, consumers);
    m_consumerPicker->setObjectName(QStringLiteral("consumerPicker"));
    consumersLayout->addWidget(m_consumers);
    consumersLayout->addWidget(m_consumerPicker, 0, Qt::AlignLeft);
    m_problems.addRow(
        authForm, tr("Consumers"), consumers, key("consumers"), QStringLiteral("consumersError"),
        [this](int index) { return m_consumers->describeItem(index); }, m_consumers);

    // Rate limit: counted for every caller of the route together.
    QFormLayout *limitForm = nullptr;
    m_rateLimitBox = addBox(tr("Rate limit"), QStringLiteral("rateLimitBox"), true, &limitForm);
    m_rateLimitBox->setToolTip(tr("Counted for all callers of the route together; answers 429 "
                                  "with Retry-After when reached."));
    addBoxMessage(m_rateLimitBox, limitForm, key("rate_limit"), tr("Rate limit"),
                  QStringLiteral("rateLimitError"));
    m_perSecond = new NumberEdit(NumberEdit::Kind::Decimal, m_rateLimitBox);
    m_perSecond->setObjectName(QStringLiteral("rateLimitPerSecondEdit"));
    m_perSecond->setPlaceholderText(tr("no limit; 0.5 = one every 2 s"));
    m_problems.addRow(limitForm, tr("Requests per second"), m_perSecond,
                      QStringLiteral("rate_limit.requests_per_second"),
                      QStringLiteral("rateLimitPerSecondError"));
    m_perMinute = new NumberEdit(NumberEdit::Kind::Integer, m_rateLimitBox);
    m_perMinute->setObjectName(QStringLiteral("rateLimitPerMinuteEdit"));
    m_perMinute->setPlaceholderText(tr("no limit"));
    m_problems.addRow(limitForm, tr("Requests per minute"), m_perMinute,
                      QStringLiteral("rate_limit.requests_per_minute"),
                      QStringLiteral("rateLimitPerMinuteError"));
    m_burst = new NumberEdit(NumberEdit::Kind::Integer, m_rateLimitBox);
    m_burst->setObjectName(QStringLiteral("rateLimitBurstEdit"));
    m_burst->setPlaceholderText(tr("default: the rate, rounded up"));
    m_problems.addRow(limitForm, tr("Burst"), m_burst, QStringLiteral("rate_limit.burst"),
                      QStringLiteral("rateLimitBurstError"));
    m_concurrent = new NumberEdit(NumberEdit::Kind::Integer, m_rateLimitBox);
    m_concurrent->setObjectName(QStringLiteral("rateLimitConcurrentEdit"));
    m_concurrent->setPlaceholderText(tr("no limit"));
    m_concurrent->setToolTip(tr("Requests in flight at once."));
    m_problems.addRow(limitForm, tr("Concurrent"), m_concurrent,
                      QStringLiteral("rate_limit.concurrent"),
                      QStringLiteral("rateLimitConcurrentError"));

    // Response cache.
    QFormLayout *cacheForm = nullptr;
    m_cacheBox = addBox(tr("Response cache"), QStringLiteral("cacheBox"), true, &cacheForm);
    m_cacheBox->setToolTip(tr("GET and HEAD answers, as the upstream's Cache-Control allows."));
    addBoxMessage(m_cacheBox, cacheForm, key("cache"), tr("Response cache"),
                  QStringLiteral("cacheError"));
    m_cacheTtl = new NumberEdit(NumberEdit::Kind::Integer, m_cacheBox);
    m_cacheTtl->setObjectName(QStringLiteral("cacheTtlEdit"));
    m_cacheTtl->setPlaceholderText(tr("seconds, e.g. 60"));
    m_problems.addRow(cacheForm, tr("Time to live (s)"), m_cacheTtl, QStringLiteral("cache.ttl_s"),
                      QStringLiteral("cacheTtlError"));

    // CORS.
    QFormLayout *corsForm = nullptr;
    m_corsBox = addBox(tr("CORS"), QStringLiteral("corsBox"), true, &corsForm);
    m_corsBox->setToolTip(tr("Let web pages from other origins call the route. Off: no CORS "
                             "headers are added and OPTIONS goes to the upstream."));
    addBoxMessage(m_corsBox, corsForm, key("cors"), tr("CORS"), QStringLiteral("corsError"));
    m_corsOrigins = new StringListEdit(m_corsBox);
    m_corsOrigins->setObjectName(QStringLiteral("corsOriginsEdit"));
    m_corsOrigins->setPlaceholderText(tr("One origin per line, e.g. https://app.example.com; "
                                         "* for any"));
    m_problems.addRow(corsForm, tr("Origins"), m_corsOrigins, QStringLiteral("cors.origins"),
                      QStringLiteral("corsOriginsError"),
                      [this](int index) { return m_corsOrigins->describeItem(index); });
    m_corsMethods = addListLine(QStringLiteral("corsMethodsEdit"),
                                tr("default: the route's methods; e.g. GET, POST"));
    m_problems.addRow(corsForm, tr("Methods"), m_corsMethods, QStringLiteral("cors.methods"),
                      QStringLiteral("corsMethodsError"), [this](int index) {
                          const QStringList values = splitList(m_corsMethods->text());
                          return index < values.size() ? tr("“%1”").arg(values.at(index))
                                                       : tr("item %1").arg(index + 1);
                      });
    m_corsHeaders = addListLine(QStringLiteral("corsHeadersEdit"),
                                tr("default: any asked for; e.g. content-type, authorization"));
    m_problems.addRow(corsForm, tr("Headers"), m_corsHeaders, QStringLiteral("cors.headers"),
                      QStringLiteral("corsHeadersError"), [this](int index) {
                          const QStringList values = splitList(m_corsHeaders->text());
                          return index < values.size() ? tr("“%1”").arg(values.at(index))
                                                       : tr("item %1").arg(index + 1);
                      });
    m_corsExpose = addListLine(QStringLiteral("corsExposeHeadersEdit"),
                               tr("optional, e.g. x-gatehouse-request-id"));
    m_problems.addRow(corsForm, tr("Exposed headers"), m_corsExpose,
                      QStringLiteral("cors.expose_headers"), QStringLiteral("corsExposeError"),
                      [this](int index) {
                          const QStringList values = splitList(m_corsExpose->text());
                          return index < values.size() ? tr("“%1”").arg(values.at(index))
                                                       : tr("item %1").arg(index + 1);
                      });
    m_corsCredentials = new QCheckBox(
        tr("Allow credentials (cookies, Authorization) from these origins"), m_corsBox);
    m_corsCredentials->setObjectName(QStringLiteral("corsCredentialsCheck"));
    m_problems.addRow(corsForm, tr("Credentials"), m_corsCredentials,
                      QStringLiteral("cors.credentials"), QStringLiteral("corsCredentialsError"));
    m_corsMaxAge = new NumberEdit(NumberEdit::Kind::Integer, m_corsBox);
    m_corsMaxAge->setObjectName(QStringLiteral("corsMaxAgeEdit"));
    m_corsMaxAge->setPlaceholderText(tr("600 (default), up to 86400"));
    m_problems.addRow(corsForm, tr("Max age (s)"), m_corsMaxAge, QStringLiteral("cors.max_age_s"),
                      QStringLiteral("corsMaxAgeError"));

    // IP rules.
    QFormLayout *ipForm = nullptr;
    m_ipBox = addBox(tr("IP rules"), QStringLiteral("ipBox"), true, &ipForm);
    m_ipBox->setToolTip(tr("Who may connect, by the client's address. Deny wins over allow; "
                           "an empty allow list allows everyone not denied."));
    addBoxMessage(m_ipBox, ipForm, key("ip"), tr("IP rules"), QStringLiteral("ipError"));
    m_ipAllow = new StringListEdit(m_ipBox);
    m_ipAllow->setObjectName(QStringLiteral("ipAllowEdit"));
    m_ipAllow->setPlaceholderText(tr("Everyone. Or one address or CIDR range per line, e.g. "
                                     "10.0.0.0/8 or ::1"));
    m_problems.addRow(ipForm, tr("Allow"), m_ipAllow, QStringLiteral("ip.allow"),
                      QStringLiteral("ipAllowError"),
                      [this](int index) { return m_ipAllow->describeItem(index); });
    m_ipDeny = new StringListEdit(m_ipBox);
    m_ipDeny->setObjectName(QStringLiteral("ipDenyEdit"));
    m_ipDeny->setPlaceholderText(tr("Nobody. Or one address or CIDR range per line"));
    m_problems.addRow(ipForm, tr("Deny"), m_ipDeny, QStringLiteral("ip.deny"),
                      QStringLiteral("ipDenyError"),
                      [this](int index) { return m_ipDeny->describeItem(index); });

    connect(m_auth, &QComboBox::currentIndexChanged, this, &RoutePoliciesPanel::authChanged);
    for (QLineEdit *edit :
         {m_jwtSecret, m_jwtPublicKey, m_jwtIssuer, m_corsMethods, m_corsHeaders, m_corsExpose})
        connect(edit, &QLineEdit::textChanged, this, &RoutePoliciesPanel::edited);
    connect(m_jwtSecret, &QLineEdit::textChanged, this, &RoutePoliciesPanel::updateSecretEcho);
    for (NumberEdit *edit :
         {m_jwtLeeway, m_perSecond, m_perMinute, m_burst, m_concurrent, m_cacheTtl, m_corsMaxAge})
        connect(edit, &QLineEdit::textChanged, this, &RoutePoliciesPanel::edited);
    for (StringListEdit *edit : {m_jwtAudience, m_consumers, m_corsOrigins, m_ipAllow, m_ipDeny})
        connect(edit, &StringListEdit::valuesChanged, this, &RoutePoliciesPanel::edited);
    for (QCheckBox *check : {m_jwtForward, m_corsCredentials})
        connect(check, &QCheckBox::toggled, this, &RoutePoliciesPanel::edited);
    for (QGroupBox *box : {m_rateLimitBox, m_cacheBox, m_corsBox, m_ipBox})
        connect(box, &QGroupBox::toggled, this, &RoutePoliciesPanel::edited);
    connect(m_browsePublicKey, &QPushButton::clicked, this, &RoutePoliciesPanel::browsePublicKey);
    if (gateway) {
        connect(gateway, &Gateway::configChanged, this, &RoutePoliciesPanel::reloadConsumers);
        connect(gateway, &Gateway::stateChanged, this, &RoutePoliciesPanel::reloadConsumers);
    }
    reloadConsumers();
    authChanged();
}

QGroupBox *RoutePoliciesPanel::addBox(const QString &title, const QString &objectName,
                                      bool checkable, QFormLayout **layout)
{
    auto *box = new QGroupBox(title, this);
    box->setObjectName(objectName);
    box->setCheckable(checkable);
    box->setChecked(false);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    qobject_cast<QVBoxLayout *>(this->layout())->addWidget(box);
    *layout = form;
    return box;
}

QLabel *RoutePoliciesPanel::addBoxMessage(QGroupBox *box, QFormLayout *layout, const QString &path,
                                          const QString &title, const QString &messageName)
{
    // Problems about the policy as a whole ("needs requests_per_second, …").
    QLabel *message = ProblemDisplay::createMessageLabel(messageName, box);
    layout->addRow(message);
    m_problems.addField(path, title, box, message);
    return message;
}

QLineEdit *RoutePoliciesPanel::addListLine(const QString &objectName, const QString &placeholder)
{
    auto *edit = new QLineEdit(m_corsBox);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    edit->setToolTip(tr("Separated by commas or spaces."));
    return edit;
}

void RoutePoliciesPanel::readRoute(const QJsonObject &route)
{
    const QString auth = route.value(key("auth")).toString(QStringLiteral("key"));
    int index = m_auth->findData(auth);
    if (index < 0) {
        m_auth->addItem(auth, auth); // unknown to this version: shown, saving says why
        index = m_auth->count() - 1;
    }
    m_auth->setCurrentIndex(index);

    const QJsonObject jwt = route.value(key("jwt")).toObject();
    const QStringList algorithms = toStringList(jwt.value(key("algorithms")));
    for (QCheckBox *check : std::as_const(m_algorithms))
        check->setChecked(algorithms.contains(check->text()));
    m_jwtSecret->setText(jwt.value(key("secret")).toString());
    m_jwtPublicKey->setText(jwt.value(key("public_key")).toString());
    m_jwtIssuer->setText(jwt.value(key("issuer")).toString());
    m_jwtAudience->setValues(toStringList(jwt.value(key("audience"))));
    m_jwtLeeway->setValue(jwt.value(key("leeway_s")));
    m_jwtForward->setChecked(jwt.value(key("forward_token")).toBool());
    m_consumers->setValues(toStringList(route.value(key("consumers"))));

    const QJsonObject limit = route.value(key("rate_limit")).toObject();
    m_rateLimitBox->setChecked(route.contains(key("rate_limit")));
    m_perSecond->setValue(limit.value(key("requests_per_second")));
    m_perMinute->setValue(limit.value(key("requests_per_minute")));
    m_burst->setValue(limit.value(key("burst")));
    m_concurrent->setValue(limit.value(key("concurrent")));

    m_cacheBox->setChecked(route.contains(key("cache")));
    m_cacheTtl->setValue(route.value(key("cache")).toObject().value(key("ttl_s")));

    const QJsonObject cors = route.value(key("cors")).toObject();
    m_corsBox->setChecked(route.contains(key("cors")));
    m_corsOrigins->setValues(toStringList(cors.value(key("origins"))));
    m_corsMethods->setText(toStringList(cors.value(key("methods"))).join(QStringLiteral(", ")));
    m_corsHeaders->setText(toStringList(cors.value(key("headers"))).join(QStringLiteral(", ")));
    m_corsExpose->setText(
        toStringList(cors.value(key("expose_headers"))).join(QStringLiteral(", ")));
    m_corsCredentials->setChecked(cors.value(key("credentials")).toBool());
    m_corsMaxAge->setValue(cors.value(key("max_age_s")));

    const QJsonObject ip = route.value(key("ip")).toObject();
    m_ipBox->setChecked(route.contains(key("ip")));
    m_ipAllow->setValues(toStringList(ip.value(key("allow"))));
    m_ipDeny->setValues(toStringList(ip.value(key("deny"))));
    authChanged();
}

void RoutePoliciesPanel::writeRoute(QJsonObject &route) const
{
    const QString auth = m_auth->currentData().toString();
    route.insert(key("auth"), auth);
    // JWT settings are written while they are in use; otherwise kept as they were read.
    if (auth == QLatin1String("jwt")) {
        QJsonObject jwt = route.value(key("jwt")).toObject();
        QStringList algorithms;
        for (QCheckBox *check : m_algorithms) {
            if (check->isChecked())
                algorithms.append(check->text());
        }
        setList(jwt, key("algorithms"), algorithms);
        setText(jwt, key("secret"), m_jwtSecret->text());
        setText(jwt, key("public_key"), m_jwtPublicKey->text());
        setText(jwt, key("issuer"), m_jwtIssuer->text());
        const QStringList audience = m_jwtAudience->values();
        if (audience.size() == 1 && jwt.value(key("audience")).isString())
            jwt.insert(key("audience"), audience.first()); // written as it was read
        else
            setList(jwt, key("audience"), audience);
        m_jwtLeeway->writeTo(jwt, key("leeway_s"));
        setFlag(jwt, key("forward_token"), m_jwtForward->isChecked());
        if (jwt.isEmpty())
            route.remove(key("jwt"));
        else
            route.insert(key("jwt"), jwt);
    }
    route.insert(key("consumers"), QJsonArray::fromStringList(m_consumers->values()));

    if (m_rateLimitBox->isChecked()) {
        QJsonObject limit = route.value(key("rate_limit")).toObject();
        m_perSecond->writeTo(limit, key("requests_per_second"));
        m_perMinute->writeTo(limit, key("requests_per_minute"));
        m_burst->writeTo(limit, key("burst"));
        m_concurrent->writeTo(limit, key("concurrent"));
        route.insert(key("rate_limit"), limit);
    } else {
        route.remove(key("rate_limit"));
    }

    if (m_cacheBox->isChecked()) {
        QJsonObject cache = route.value(key("cache")).toObject();
        m_cacheTtl->writeTo(cache, key("ttl_s"));
        route.insert(key("cache"), cache);
    } else {
        route.remove(key("cache"));
    }

    if (m_corsBox->isChecked()) {
        QJsonObject cors = route.value(key("cors")).toObject();
        setList(cors, key("origins"), m_corsOrigins->values());
        setList(cors, key("methods"), splitList(m_corsMethods->text()));
        setList(cors, key("headers"), splitList(m_corsHeaders->text()));
        setList(cors, key("expose_headers"), splitList(m_corsExpose->text()));
        setFlag(cors, key("credentials"), m_corsCredentials->isChecked());
        m_corsMaxAge->writeTo(cors, key("max_age_s"));
        route.insert(key("cors"), cors);
    } else {
        route.remove(key("cors"));
    }

    if (m_ipBox->isChecked()) {
        QJsonObject ip = route.value(key("ip")).toObject();
        setList(ip, key("allow"), m_ipAllow->values());
        setList(ip, key("deny"), m_ipDeny->values());
        route.insert(key("ip"), ip);
    } else {
        route.remove(key("ip"));
    }
}

void RoutePoliciesPanel::authChanged()
{
    const QString auth = m_auth->currentData().toString();
    m_jwtBox->setVisible(auth == QLatin1String("jwt"));
    // Without authentication nobody is known, so there is no one to allow or refuse.
    const bool named = auth != QLatin1String("none");
    m_consumers->setEnabled(named);
    m_consumerPicker->setEnabled(named && m_consumerPicker->count() > 1);
    m_consumers->setToolTip(
        auth == QLatin1String("jwt")
            ? tr("Who may call: the token's subject (sub) must be one of these names; * for "
                 "any valid token.")
        : named ? tr("Who may call: consumer names, or * for every consumer with a key.")
                : tr("Applies when the route needs a key or a token."));
    Q_EMIT edited();
}

void RoutePoliciesPanel::reloadConsumers()
{
    QStringList names{QStringLiteral("*")};
    if (m_gateway && m_gateway->state() != Gateway::State::Closed) {
        QStringList consumers;
        const QList<QJsonObject> all = m_gateway->entities(EntityKind::Consumer);
        for (const QJsonObject &consumer : all)
            consumers.append(consumer.value(key("name")).toString());
        consumers.sort(Qt::CaseInsensitive);
        names += consumers;
    }
    m_consumerPicker->setChoices(names);
    m_consumerPicker->setEnabled(m_consumers->isEnabled());
}

void RoutePoliciesPanel::updateSecretEcho()
{
    // A reference is no secret: show it, so a typo can be seen. Anything else is hidden
    // (it will be refused, but should not sit on the screen meanwhile).
    const QString text = m_jwtSecret->text().trimmed();
    m_jwtSecret->setEchoMode(text.isEmpty() || SecretReference::looksLikeReference(text)
                                 ? QLineEdit::Normal
                                 : QLineEdit::Password);
}

void RoutePoliciesPanel::browsePublicKey()
{
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Choose the Public Key"), QString(),
                                     tr("PEM files (*.pem *.crt *.cer *.pub);;All files (*)"));
    if (!file.isEmpty())
        m_jwtPublicKey->setText(QStringLiteral("${file:%1}").arg(file));
}

} // namespace gh
