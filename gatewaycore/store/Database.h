#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVariant>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace gh {

class Statement;

// A thin RAII wrapper over one SQLite connection (C API). Not thread-safe: each
// thread that needs the database opens its own connection.
class Database
{
public:
    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    enum class Mode { ReadWrite, ReadOnly };

    // Opens (creating if needed) the file, switches to WAL and enables foreign keys.
    // ReadOnly: an existing database, no writes possible through this connection (the
    // desktop's history and chart queries on a thread of their own).
    bool open(const QString &path, Mode mode = Mode::ReadWrite);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    QString path() const { return m_path; }

    bool exec(const QString &sql);
    Statement prepare(const QString &sql);
    QString lastError() const { return m_lastError; }

    int userVersion();
    bool setUserVersion(int version);
    qint64 lastInsertRowId() const;
    int changes() const;

    sqlite3 *handle() const { return m_db; }
    void setLastError(const QString &error) { m_lastError = error; }

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
    QString m_lastError;
};

// A prepared statement. bind() takes 1-based indexes like SQLite.
class Statement
{
public:
    Statement() = default;
    Statement(Database *db, sqlite3_stmt *stmt);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    Statement &bind(int index, const QVariant &value);
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, qint64 value);
    Statement &bindNull(int index);
    // UTF-8 text without a QString round trip; a null view binds NULL.
    Statement &bindText(int index, QByteArrayView utf8);
    // The same without a copy: utf8's bytes must stay unchanged until run() or reset()
    // (the request log writer binds tens of thousands of strings a second).
    Statement &bindTextNoCopy(int index, QByteArrayView utf8);
    Statement &bindDouble(int index, double value);

    // 1-based index of a named parameter (":name"), 0 if there is none.
    int parameterIndex(const char *name) const;
    // The last next() or run() stopped on an error rather than at the end.
    bool failed() const { return m_failed; }

    // Steps once: true while a row is available.
    bool next();
    // Runs to completion; false on error (the database's lastError says why).
    bool run();
    void reset();
    // reset() without clearing the parameters: for a statement that binds all of them
    // before every run (the request log's inserts).
    void resetKeepingBindings();

    QString text(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    bool isNull(int column) const;

private:
    Database *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_failed = false;
};

// Rolls back unless commit() was called.
class Transaction
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    bool commit();
    bool isActive() const { return m_active; }

private:
    Database &m_db;
    bool m_active = false;
};

} // namespace gh
