#pragma once

#include <QDialog>
#include <QJsonObject>
#include <QPointer>

class QLabel;
class QLineEdit;

namespace gh {

class Gateway;

// "New Version…" of a prompt API: a copy under a new name, path and version, saved as a
// draft so the new version can be tried and published while callers keep using the old
// one (docs/prompt-apis.md "Lifecycle and versions"). Proposes the next version: v1 → v2
// in the version, the path (/prompts/v1/summary → /prompts/v2/summary, or /v2 added
// before the last segment) and the name (summary → summary-v2). Saving goes through
// Gateway::putEntity; a refusal is shown at its field and the dialog stays open.
class NewVersionDialog : public QDialog
{
    Q_OBJECT

public:
    NewVersionDialog(Gateway *gateway, const QJsonObject &original, QWidget *parent = nullptr);

    // What the dialog proposes for `original`.
    static QString nextVersion(const QString &version);
    static QString versionedPath(const QString &path, const QString &oldVersion,
                                 const QString &newVersion);
    static QString versionedName(const QString &name, const QString &oldVersion,
                                 const QString &newVersion);

    // The copy as it would be saved.
    QJsonObject copy() const;
    // The saved copy's name, once accepted.
    QString createdName() const { return m_created; }

public Q_SLOTS:
    void accept() override;

private:
    QPointer<Gateway> m_gateway;
    QJsonObject m_original;
    QLineEdit *m_name;
    QLineEdit *m_path;
    QLineEdit *m_version;
    QLabel *m_nameError;
    QLabel *m_pathError;
    QLabel *m_versionError;
    QLabel *m_otherError;
    QString m_created;
};

} // namespace gh
