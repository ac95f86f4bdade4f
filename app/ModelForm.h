#pragma once

#include "EntityForm.h"

#include <QHash>
#include <QPointer>

class QComboBox;
class QLabel;
class QListView;
class QPushButton;
class QSpinBox;
class QStringListModel;
class QTableView;

namespace gh {

class Gateway;
class ModelTargetsModel;
class ProviderModelLister;

// The fields of a model (SPEC §3 models): the public name, targets (provider, upstream
// model, weight), retries and the fallback chain: other public model names tried in
// order, reordered by drag and drop (or Up/Down) in the list.
class ModelForm : public EntityForm
{
    Q_OBJECT

public:
    explicit ModelForm(Gateway *gateway, QWidget *parent = nullptr);

    ModelTargetsModel *targetsModel() const { return m_targetsModel; }
    QStringListModel *fallbacksModel() const { return m_fallbacksModel; }
    QListView *fallbacksView() const { return m_fallbacksView; }

    // Moves the fallback at `from` to position `to` (what a drag does); false if either is
    // out of range.
    bool moveFallback(int from, int to);
    // Upstream model ids learnt from "List Models", per provider name.
    QStringList knownModels(const QString &provider) const { return m_knownModels.value(provider); }

public Q_SLOTS:
    // Asks the selected target's provider (else the first target's) for its models.
    void listModels();

protected:
    QJsonObject defaults() const override;
    void readEntity(const QJsonObject &entity) override;
    void writeEntity(QJsonObject &entity) const override;

private:
    void reloadNames();
    void addTarget();
    void removeTargets();
    void addFallback();
    void removeFallback();
    void moveSelectedFallback(int delta);
    void updateButtons();
    void listed(const QStringList &models);
    void listFailed(const QString &message);

    QPointer<Gateway> m_gateway;
    ProviderModelLister *m_lister;
    ModelTargetsModel *m_targetsModel;
    QTableView *m_targets;
    QPushButton *m_addTarget;
    QPushButton *m_removeTarget;
    QPushButton *m_listModels;
    QLabel *m_listResult;
    QSpinBox *m_retries;
    QStringListModel *m_fallbacksModel;
    QListView *m_fallbacksView;
    QComboBox *m_fallbackChoice;
    QPushButton *m_addFallback;
    QPushButton *m_removeFallback;
    QPushButton *m_moveUp;
    QPushButton *m_moveDown;
    QStringList m_providerNames;
    QStringList m_modelNames;
    QHash<QString, QStringList> m_knownModels;
    QString m_listingProvider;
};

} // namespace gh
