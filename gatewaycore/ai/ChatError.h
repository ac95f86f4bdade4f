#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace gh {

// A failure in neutral terms: what went wrong (kind), for whom (message, naming the
// parameter when one is at fault). Each codec writes it in its dialect's error shape and
// status (OpenAiChatCodec::errorBody, AnthropicMessagesCodec::errorBody) and parses
// upstream errors back into it.
struct ChatError
{
    enum class Kind {
        InvalidRequest,  // 400
        Authentication,  // 401
        Permission,      // 403
        NotFound,        // 404
        RequestTooLarge, // 413
        RateLimit,       // 429
        Api,             // 500: an internal or unexpected upstream failure
        BadGateway,      // 502: upstream unreachable or answered something we cannot read
        Overloaded,      // 529 (Anthropic) / 503 (OpenAI dialect)
        Timeout          // 504
    };

    Kind kind = Kind::Api;
    QString message;
    QString param; // the request parameter at fault, when there is one ("response_format")

    static ChatError invalid(const QString &param, const QString &message)
    {
        return {Kind::InvalidRequest, message, param};
    }
    // "<param>: <what>" refusal of a parameter the target dialect cannot honour.
    static ChatError unsupported(const QString &param, const QString &target);
    static ChatError badGateway(const QString &message) { return {Kind::BadGateway, message, {}}; }
    // The status for kind, with `overloaded` for Overloaded (the one the dialects differ on).
    int httpStatus(int overloaded) const;

    // The kind for an HTTP status an upstream answered with.
    static Kind kindForStatus(int status);
};

// A value or the error that prevented it.
template <typename T> class ChatResult
{
public:
    ChatResult(T value)
        : m_data(std::move(value))
    {}
    ChatResult(ChatError error)
        : m_data(std::move(error))
    {}

    bool isOk() const { return std::holds_alternative<T>(m_data); }
    const T &value() const { return std::get<T>(m_data); }
    T &value() { return std::get<T>(m_data); }
    const ChatError &error() const { return std::get<ChatError>(m_data); }

private:
    std::variant<T, ChatError> m_data;
};

} // namespace gh
