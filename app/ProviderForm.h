#pragma once

#include "EntityForm.h"

#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableView;

namespace gh {

class Gateway;
class ProviderHeadersModel;
class ProviderModelLister;
class SecretStore;

// The fields of a provider (SPEC §3 providers): type, base URL, API key, extra headers,
// timeout and, for azure-openai, the api-version. A key typed in plain text never reaches
// the entity: saving stores it in the OS keychain as "provider/<name>" first
// (storePendingKey(), called by ProviderEditorPage) and the entity only gets the
// reference ${keychain:provider/<name>}. ${env:…} and ${file:…} references are kept as
// typed. "Test connection" lists the provider's models with what the form holds now.
class ProviderForm : public EntityForm
{
    Q_OBJECT

public:
    explicit ProviderForm(Gateway *gateway, QWidget *parent = nullptr);

    // The keychain entry a provider's key is stored under, and its reference.
    static QString keychainEntry(const QString &providerName);
    static QString keychainReference(const QString &providerName);

    // Where keys are written; the gateway's store unless set (tests use a memory store).
    void setSecretStore(SecretStore *store) { m_secretStoreOverride = store; }
    SecretStore *secretStore() const;

    // A key typed in plain text and not stored yet.
    bool hasPendingKey() const;
    // Writes the pending key to the keychain and points the entity at it. On failure the
    // reason shows at the key field (with the ${env:…} way out) and false is returned.
    bool storePendingKey();

    ProviderModelLister *lister() const { return m_lister; }

public Q_SLOTS:
    void testConnection();

Q_SIGNALS:
    void pendingKeyChanged();
    // A key was written to the keychain (the gateway must re-read it).
    void keyStored(const QString &providerName);

protected:
    QJsonObject defaults() const override;
    void readEntity(const QJsonObject &entity) override;
    void writeEntity(QJsonObject &entity) const override;

private:
    QString type() const;
    void typeChanged();
    void keyTextChanged();
    void removeStoredKey();
    void updateKeyNote();
    void showKeyError(const QString &message);
    void addHeader();
    void removeHeaders();
    void listed(const QStringList &models);
    void listFailed(const QString &message);

    QPointer<Gateway> m_gateway;
    SecretStore *m_secretStoreOverride = nullptr;
    ProviderModelLister *m_lister;
    QComboBox *m_type;
    QLineEdit *m_baseUrl;
    QLineEdit *m_apiVersion;
    QLineEdit *m_apiKey;
    QPushButton *m_removeKey;
    QLabel *m_keyNote;
    QLabel *m_keyError;
    ProviderHeadersModel *m_headersModel;
    QTableView *m_headers;
    QPushButton *m_addHeader;
    QPushButton *m_removeHeader;
    QSpinBox *m_timeout;
    QPushButton *m_test;
    QLabel *m_testResult;
    QListWidget *m_models;
    // The keychain reference the entity keeps while the field is empty (never shown: the
    // field is for typing a new key). Empty: no key from the keychain.
    QString m_keychainReference;
};

} // namespace gh
