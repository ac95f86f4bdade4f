#pragma once

#include <QString>

namespace gh {

class Database;

// Forward-only schema migrations keyed by PRAGMA user_version. Step N takes a database
// at version N-1 to version N inside one transaction.
class Migrations
{
public:
    static int latestVersion();
    // Migrates up to `target` (default: latest). A database newer than this build
    // is refused rather than touched: its schema is unknown to us.
    static bool migrate(Database &db, QString *error, int target = -1);
};

} // namespace gh
