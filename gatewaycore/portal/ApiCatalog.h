#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace gh {

// What the catalog publishes, read once from the normalized config: published and
// deprecated routes and prompt APIs (drafts and retired ones are not there), in name
// order. Upstream services, consumer names and secrets never enter it.
class ApiCatalog
{
public:
    enum class Auth { None, Key, Jwt };

    struct Input
    {
        QString name;
        QString type; // string | number | boolean | enum | array
        QString description;
        bool required = false;
        QJsonValue defaultValue; // undefined when absent
        QStringList values;      // enum
        QString itemType;        // array
        QStringList itemValues;  // array of enum
        qint64 maxLength = -1;   // string (or array items), -1 when absent
    };

    struct PromptApi
    {
        QString name;
        QString path;
        QString version;
        QString description;
        QString state; // published | deprecated
        QString sunset;
        Auth auth = Auth::Key;
        QString model;
        QList<Input> inputs;
        bool jsonOutput = false;
        QJsonObject outputSchema; // JSON output mode's schema, empty when none
    };

    struct Route
    {
        QString name;
        QStringList paths;   // prefixes
        QStringList methods; // empty: any
        QStringList hosts;
        QString version;
        QString description;
        QString state;
        QString sunset;
        Auth auth = Auth::Key;
    };

    static ApiCatalog fromConfig(const QJsonObject &config);

    const QList<PromptApi> &promptApis() const { return m_promptApis; }
    const QList<Route> &routes() const { return m_routes; }
    bool isEmpty() const { return m_promptApis.isEmpty() && m_routes.isEmpty(); }

    static QString authName(Auth auth);
    // A JSON value an example request can send for input (its default, else a sample).
    static QJsonValue exampleValue(const Input &input);
    // {"text": "…", …}: the required inputs (every input when none is required).
    static QJsonObject exampleBody(const PromptApi &api);

private:
    QList<PromptApi> m_promptApis;
    QList<Route> m_routes;
};

} // namespace gh
