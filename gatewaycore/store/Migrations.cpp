#include "Migrations.h"

#include "Database.h"

#include <QStringList>

namespace gh {

namespace {

// Each entry is one schema version. Never edit a released step; append a new one.
const char *const kSteps[] = {
    // 1: the declarative entities, each a JSON document keyed by its unique name.
    R"sql(
CREATE TABLE providers  (name TEXT PRIMARY KEY, spec TEXT NOT NULL CHECK (json_valid(spec)),
                         created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE models     (name TEXT PRIMARY KEY, spec TEXT NOT NULL CHECK (json_valid(spec)),
                         created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE prices     (name TEXT PRIMARY KEY, spec TEXT NOT NULL CHECK (json_valid(spec)),
                         created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE consumers  (name TEXT PRIMARY KEY, spec TEXT NOT NULL CHECK (json_valid(spec)),
                         created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE services   (name TEXT PRIMARY KEY, spec TEXT NOT NULL CHECK (json_valid(spec)),
                         created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE routes     (name TEXT PRIMARY KEY, spec TEXT NOT NULL CHECK (json_valid(spec)),
                         created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE prompt_apis(name TEXT PRIMARY KEY, spec TEXT NOT NULL CHECK (json_valid(spec)),
                         created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE settings   (key TEXT PRIMARY KEY, value TEXT NOT NULL CHECK (json_valid(value)));
)sql",
    // 2: consumer keys (only hashes), and the request log of SPEC §6.
    R"sql(
CREATE TABLE consumer_keys (
  id          INTEGER PRIMARY KEY,
  consumer    TEXT NOT NULL REFERENCES consumers(name) ON DELETE CASCADE ON UPDATE CASCADE,
  hash        TEXT UNIQUE,           -- NULL while a referenced key cannot be resolved
  prefix      TEXT NOT NULL,
  reference   TEXT,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,
  revoked_at  INTEGER);
CREATE INDEX consumer_keys_consumer ON consumer_keys(consumer);
CREATE TABLE request_log (
  id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, consumer TEXT, route TEXT, prompt_api TEXT,
  provider TEXT, model TEXT, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL,
  latency_ms REAL, upstream_ms REAL, ttfb_ms REAL, tokens_in INTEGER, tokens_out INTEGER,
  cost_usd REAL, cache TEXT, bytes_in INTEGER, bytes_out INTEGER, error TEXT);
CREATE INDEX request_log_ts ON request_log(ts);
)sql",
    // 3: AI spend per UTC day, consumer and provider, for budgets across restarts.
    R"sql(
CREATE TABLE spend_daily (
  day TEXT NOT NULL, consumer TEXT NOT NULL, provider TEXT NOT NULL,
  usd REAL NOT NULL DEFAULT 0, tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0, requests INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, consumer, provider));
)sql",
    // 4: the request log as the writer thread fills it (docs/logging.md): the request id,
    // captured headers and bodies (settings.log_bodies).
    R"sql(
ALTER TABLE request_log ADD COLUMN request_id TEXT;
ALTER TABLE request_log ADD COLUMN request_headers TEXT;
ALTER TABLE request_log ADD COLUMN request_body TEXT;
ALTER TABLE request_log ADD COLUMN response_headers TEXT;
ALTER TABLE request_log ADD COLUMN response_body TEXT;
)sql",
    // 5: the request log's time index as one row per written batch (a block range index):
    // rows are written in id order with nearly ordered times, so a time range is an id
    // range plus an exact ts filter, and the writer adds one index entry per batch
    // instead of one per row (docs/logging.md, docs/performance.md).
    R"sql(
CREATE TABLE request_log_blocks (
  first_id INTEGER NOT NULL, last_id INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL);
CREATE INDEX request_log_blocks_max_ts ON request_log_blocks(max_ts);
CREATE INDEX request_log_blocks_min_ts ON request_log_blocks(min_ts);
INSERT INTO request_log_blocks SELECT min(id), max(id), min(ts), max(ts) FROM request_log HAVING count(*) > 0;
DROP INDEX request_log_ts;
)sql",
};

constexpr int kStepCount = int(sizeof(kSteps) / sizeof(kSteps[0]));

} // namespace

int Migrations::latestVersion()
{
    return kStepCount;
}

bool Migrations::migrate(Database &db, QString *error, int target)
{
    if (target < 0 || target > kStepCount)
        target = kStepCount;
    const int current = db.userVersion();
    if (current < 0) {
        *error = QStringLiteral("cannot read the schema version: %1").arg(db.lastError());
        return false;
    }
    if (current > kStepCount) {
        *error = QStringLiteral("%1 has schema version %2, newer than this Gatehouse understands "
                                "(%3); use a newer Gatehouse or another data dir")
                     .arg(db.path())
                     .arg(current)
                     .arg(kStepCount);
        return false;
    }
    for (int version = current + 1; version <= target; ++version) {
        Transaction tx(db);
        if (!tx.isActive() || !db.exec(QString::fromUtf8(kSteps[version - 1]))
            || !db.setUserVersion(version) || !tx.commit()) {
            *error = QStringLiteral("migration to schema version %1 failed: %2")
                         .arg(version)
                         .arg(db.lastError());
            return false;
        }
    }
    return true;
}

} // namespace gh
