#include "NewVersionDialog.h"

#include "Gateway.h"
#include "ProblemDisplay.h"

#include <QDialogButtonBox>
#include <QFormLayout>
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

QLabel *fieldRow(QFormLayout *form, const QString &title, QLineEdit *edit, const QString &error,
                 QWidget *parent)
{
    QLabel *message = ProblemDisplay::createMessageLabel(error, parent);
    auto *column = new QVBoxLayout;
    column->setSpacing(2);
    column->addWidget(edit);
    column->addWidget(message);
    form->addRow(title, column);
    return message;
}

} // namespace

QString NewVersionDialog::nextVersion(const QString &version)
{
    static const QRegularExpression numbered(QStringLiteral("^(.*?)(\\d+)$"));
    const QRegularExpressionMatch match = numbered.match(version.trimmed());
    if (!match.hasMatch())
        return QStringLiteral("v2");
    return match.captured(1) + QString::number(match.captured(2).toLongLong() + 1);
}

QString NewVersionDialog::versionedPath(const QString &path, const QString &oldVersion,
                                        const QString &newVersion)
{
    QStringList segments = path.split(u'/');
    // The old version as a segment of its own: replace it.
    if (!oldVersion.isEmpty()) {
        for (QString &segment : segments) {
            if (segment == oldVersion) {
                segment = newVersion;
                return segments.join(u'/');
            }
        }
    }
    // Else the new version before the last segment: /prompts/summary → /prompts/v2/summary.
    int last = int(segments.size()) - 1;
    while (last > 0 && segments.at(last).isEmpty())
        --last;
    if (last <= 0)
        return QLatin1Char('/') + newVersion + path;
    segments.insert(last, newVersion);
    return segments.join(u'/');
}

QString NewVersionDialog::versionedName(const QString &name, const QString &oldVersion,
                                        const QString &newVersion)
{
    const QString suffix = QLatin1Char('-') + oldVersion;
    if (!oldVersion.isEmpty() && name.endsWith(suffix))
        return name.chopped(suffix.size()) + QLatin1Char('-') + newVersion;
    return name + QLatin1Char('-') + newVersion;
}

NewVersionDialog::NewVersionDialog(Gateway *gateway, const QJsonObject &original, QWidget *parent)
    : QDialog(parent)
    , m_gateway(gateway)
    , m_original(original)
    , m_name(new QLineEdit(this))
    , m_path(new QLineEdit(this))
    , m_version(new QLineEdit(this))
    , m_nameError(nullptr)
    , m_pathError(nullptr)
    , m_versionError(nullptr)
    , m_otherError(ProblemDisplay::createMessageLabel(QStringLiteral("otherError"), this))
{
    setObjectName(QStringLiteral("newVersionDialog"));
    setWindowTitle(tr("New Version of “%1”").arg(original.value(key("name")).toString()));
    setStyleSheet(ProblemDisplay::styleSheet());
    const QString oldVersion = original.value(key("version")).toString();
    const QString version = nextVersion(oldVersion);
    // Without a version of its own, the original counts as v1.
    const QString pathVersion = oldVersion.isEmpty() ? QStringLiteral("v1") : oldVersion;
    m_name->setObjectName(QStringLiteral("versionNameEdit"));
    m_name->setText(versionedName(original.value(key("name")).toString(), pathVersion, version));
    m_path->setObjectName(QStringLiteral("versionPathEdit"));
    m_path->setText(versionedPath(original.value(key("path")).toString(), pathVersion, version));
    m_version->setObjectName(QStringLiteral("versionVersionEdit"));
    m_version->setText(version);

    auto *intro = new QLabel(
        tr("The new version is a copy saved as a draft at its own path: callers keep using "
           "“%1” while you try the new one and publish it. Then deprecate the old one with a "
           "sunset date.")
            .arg(original.value(key("name")).toString()),
        this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    m_nameError = fieldRow(form, tr("Name:"), m_name, QStringLiteral("versionNameError"), this);
    m_pathError = fieldRow(form, tr("Path:"), m_path, QStringLiteral("versionPathError"), this);
    m_versionError =
        fieldRow(form, tr("Version:"), m_version, QStringLiteral("versionVersionError"), this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create Draft"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("createVersionButton"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_otherError);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewVersionDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewVersionDialog::reject);
    resize(520, sizeHint().height());
}

QJsonObject NewVersionDialog::copy() const
{
    QJsonObject copy = m_original;
    copy.insert(key("name"), m_name->text().trimmed());
    copy.insert(key("path"), m_path->text().trimmed());
    if (m_version->text().trimmed().isEmpty())
        copy.remove(key("version"));
    else
        copy.insert(key("version"), m_version->text().trimmed());
    copy.insert(key("state"), QStringLiteral("draft"));
    copy.remove(key("sunset"));
    return copy;
}

void NewVersionDialog::accept()
{
    for (QLabel *label : {m_nameError, m_pathError, m_versionError, m_otherError}) {
        label->clear();
        label->hide();
    }
    for (QLineEdit *edit : {m_name, m_path, m_version})
        ProblemDisplay::setInvalid(edit, false);
    const QJsonObject entity = copy();
    const QString name = entity.value(key("name")).toString();
    bool exists = false;
    if (m_gateway && m_gateway->state() != Gateway::State::Closed) {
        const QList<QJsonObject> existing = m_gateway->entities(EntityKind::PromptApi);
        for (const QJsonObject &other : existing)
            exists = exists || other.value(key("name")).toString() == name;
    }
    ConfigService::Result result;
    if (name.isEmpty()) {
        result.status = ConfigService::Status::Invalid;
        result.problems.append({key("name"), tr("a name is required")});
    } else if (exists) {
        // putEntity would replace it: a new version never overwrites another prompt API.
        result.status = ConfigService::Status::Invalid;
        result.problems.append({key("name"), tr("“%1” already exists").arg(name)});
    } else if (!m_gateway) {
        result.status = ConfigService::Status::StoreError;
        result.problems.append({QString(), tr("the gateway is closed")});
    } else {
        result = m_gateway->putEntity(EntityKind::PromptApi, name, entity);
    }
    if (result.ok()) {
        m_created = name;
        QDialog::accept();
        return;
    }
    QStringList other;
    for (const ConfigProblem &problem : std::as_const(result.problems)) {
        QLabel *label = nullptr;
        QLineEdit *edit = nullptr;
        const QString path = problem.path;
        if (path == QLatin1String("name") || path.endsWith(QLatin1String(".name"))) {
            label = m_nameError;
            edit = m_name;
        } else if (path == QLatin1String("path") || path.endsWith(QLatin1String(".path"))) {
            label = m_pathError;
            edit = m_path;
        } else if (path == QLatin1String("version") || path.endsWith(QLatin1String(".version"))) {
            label = m_versionError;
            edit = m_version;
        }
        if (!label) {
            other.append(problem.toString());
            continue;
        }
        label->setText(label->text().isEmpty()
                           ? problem.message
                           : label->text() + QLatin1Char('\n') + problem.message);
        label->show();
        ProblemDisplay::setInvalid(edit, true);
    }
    if (!other.isEmpty()) {
        m_otherError->setText(other.join(QLatin1Char('\n')));
        m_otherError->show();
    }
}

} // namespace gh
