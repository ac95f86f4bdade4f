// GET /metrics read by an established parser of the Prometheus text format
// (parse-prometheus-text-format, a port of Prometheus' own Go parser), after real traffic
// through both SDK dialects: every family parses, and the counters agree with the calls.
// Run by run-ai-e2e.sh (ctest `metrics`). Strict format rules: tst_metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const base = process.env.GATEHOUSE_URL;
const adminUrl = process.env.GATEHOUSE_ADMIN_URL;
const key = process.env.GATEHOUSE_TEST_KEY;
const skip = !base || !adminUrl || !key ? 'needs run-ai-e2e.sh' : false;

async function chat(model, stream = false) {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'metrics please' }] }),
  });
  await response.text();
  return response.status;
}

async function scrape() {
  const response = await fetch(`${adminUrl}/metrics`); // loopback: no token needed
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return response.text();
}

function family(families, name) {
  const found = families.find((f) => f.name === name);
  assert.ok(found, `no family ${name}`);
  return found;
}

test('the metrics parse and count what happened', { skip }, async () => {
  for (const model of ['m-openai', 'm-anthropic', 'm-gemini'])
    assert.equal(await chat(model), 200);
  assert.equal(await chat('m-openai', true), 200);
  assert.equal(await chat('no-such-model'), 404);

  // Counted when each exchange ends: allow a moment for the last one.
  let families;
  for (let i = 0; i < 50; i++) {
    families = parsePrometheusTextFormat(await scrape());
    const requests = family(families, 'gatehouse_requests_total');
    const total = requests.metrics.reduce((sum, m) => sum + Number(m.value), 0);
    if (total >= 5) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const requests = family(families, 'gatehouse_requests_total');
  assert.equal(requests.type, 'COUNTER');
  const count = (labels) => requests.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v))
    .reduce((sum, m) => sum + Number(m.value), 0);
  assert.equal(count({ model: 'mock-model', status: '200' }), 4);
  assert.equal(count({ status: '404' }), 1);

  // Histograms parse as such. (This parser drops the labels and _sum/_count of labelled
  // histograms; bucket order, cumulativeness and +Inf == _count are tst_metrics' checks.)
  const duration = family(families, 'gatehouse_request_duration_seconds');
  assert.equal(duration.type, 'HISTOGRAM');
  assert.ok(duration.metrics.length >= 1);
  for (const m of duration.metrics) {
    const bounds = Object.keys(m.buckets).filter((b) => b !== '+Inf').map(Number);
    assert.ok(bounds.length === 14 && bounds.every((b) => Number.isFinite(b)));
    assert.ok('+Inf' in m.buckets);
  }

  const tokens = family(families, 'gatehouse_tokens_total');
  const providers = new Set(tokens.metrics.map((m) => m.labels.provider));
  for (const p of ['p-openai', 'p-anthropic', 'p-gemini']) assert.ok(providers.has(p), p);
  assert.ok(tokens.metrics.every((m) => ['in', 'out'].includes(m.labels.direction)));
  assert.ok(family(families, 'gatehouse_cost_usd_total').metrics.length >= 3);
  assert.equal(family(families, 'gatehouse_open_connections').type, 'GAUGE');
  assert.equal(Number(family(families, 'gatehouse_log_records_dropped_total').metrics[0].value), 0);
  assert.equal(family(families, 'gatehouse_build_info').metrics[0].labels.version.length > 0, true);
});
