#pragma once

#include "PlaygroundRequest.h"

#include <QCoreApplication>
#include <QString>

namespace gh {

// "Copy as curl / Python / JavaScript": the Playground's current request as a snippet
// that runs as it is, against the gateway at gatewayUrl (http://127.0.0.1:4141, no /v1).
// Python and JavaScript use the official openai SDKs with base_url pointing at the
// gateway. The key is never in a snippet: it is read from $GATEHOUSE_API_KEY.
class PlaygroundSnippets
{
    Q_DECLARE_TR_FUNCTIONS(PlaygroundSnippets)

public:
    static QString keyVariable(); // GATEHOUSE_API_KEY

    static QString curl(const QString &gatewayUrl, const PlaygroundParams &params);
    static QString python(const QString &gatewayUrl, const PlaygroundParams &params);
    static QString javaScript(const QString &gatewayUrl, const PlaygroundParams &params);

    // A string as a double-quoted literal; JSON's escapes are valid in Python and JS too.
    static QString quoted(const QString &text);
};

} // namespace gh
