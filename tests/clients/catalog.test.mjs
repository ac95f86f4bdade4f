// The catalog (issue 7): /_gatehouse/openapi.json must be a valid OpenAPI 3.1 document by
// an established validator (@seriousme/openapi-schema-validator, which checks against the
// official OAS JSON schemas), describe exactly what is published, and the portal's
// example calls must be runnable code: the JavaScript ones are executed against the
// gateway, the Python ones syntax-checked when python3 is there.
// Run by run-ai-e2e.sh (ctest `catalog`), which provides a gatehoused and the mock providers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';

const base = process.env.GATEHOUSE_URL;
const adminUrl = process.env.GATEHOUSE_ADMIN_URL;
const adminToken = process.env.GATEHOUSE_ADMIN_TOKEN;
const key = process.env.GATEHOUSE_TEST_KEY;
const mockUrl = process.env.MOCK_URL;
const skip = !base || !adminUrl || !key ? 'needs run-ai-e2e.sh' : false;

async function admin(method, path, body) {
  const response = await fetch(`${adminUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
}

// Routes and prompt APIs in every shape the catalog has to describe; the mock provider
// answers behind them (its keyless /compat/v1/models is a plain GET upstream).
function catalogConfig() {
  return {
    services: [
      { name: 'mock', targets: [{ url: `${mockUrl}/openai/v1` }] },
      { name: 'model-list', targets: [{ url: mockUrl }] },
    ],
    routes: [
      {
        name: 'models-api', match: { paths: ['/compat/v1/models'], methods: ['GET'] }, service: 'model-list',
        auth: 'none', version: 'v1', description: 'Lists models <b>unescaped?</b> & "quoted"',
      },
      { name: 'keyed', match: { paths: ['/catalog/keyed'], methods: ['GET', 'POST'] }, service: 'mock', strip_path: true },
      { name: 'any-method', match: { paths: ['/catalog/any'] }, service: 'mock', auth: 'none' },
      {
        name: 'old-api', match: { paths: ['/catalog/old'], methods: ['GET'] }, service: 'mock', auth: 'none',
        state: 'deprecated', sunset: '2027-06-30', version: 'v0',
      },
      { name: 'jwt-api', match: { paths: ['/catalog/jwt'] }, service: 'mock', auth: 'jwt', jwt: { algorithms: ['HS256'], secret: '${env:GH_CATALOG_UNUSED}' } },
      { name: 'draft-api', match: { paths: ['/catalog/draft'] }, service: 'mock', state: 'draft' },
      { name: 'gone-api', match: { paths: ['/catalog/gone'] }, service: 'mock', state: 'retired' },
    ],
    prompt_apis: [
      {
        name: 'sentiment', path: '/prompts/sentiment', model: 'm-openai', version: 'v1',
        description: 'Classifies the sentiment of a text.',
        template: 'Classify the sentiment of: {{text}}. Answer {{style}}.',
        inputs: {
          text: { type: 'string', required: true, max_length: 4000, description: 'The text to classify' },
          style: { type: 'enum', values: ['short', 'long'], default: 'short' },
        },
        params: { temperature: 0, max_tokens: 16 },
      },
      {
        name: 'sentiment-v2', path: '/prompts/v2/sentiment', model: 'm-openai', version: 'v2', state: 'deprecated', sunset: '2027-01-31',
        template: 'Classify {{text}} in {{count}} words, verbose={{verbose}}',
        inputs: {
          text: { type: 'string', required: true },
          count: { type: 'number', default: 3 },
          verbose: { type: 'boolean', default: false },
        },
        auth: 'none',
      },
      {
        name: 'hidden-draft', path: '/prompts/hidden', model: 'm-openai', template: 'x', state: 'draft',
      },
    ],
  };
}

let spec;

test('the catalog config is accepted', { skip }, async () => {
  const applied = await admin('PUT', '/config', catalogConfig());
  assert.equal(applied.status, 200, applied.text);
});

test('openapi.json is valid OpenAPI 3.1 by @seriousme/openapi-schema-validator', { skip }, async () => {
  const response = await fetch(`${base}/_gatehouse/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  spec = await response.json();
  assert.equal(spec.openapi, '3.1.0');

  const validator = new Validator();
  const result = await validator.validate(spec);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.equal(validator.version, '3.1');
  // References resolve (the validator dereferences the whole document).
  const resolved = validator.resolveRefs();
  assert.ok(resolved.paths['/prompts/sentiment'].post.responses['400'].content['application/json'].schema.properties.error);
});

test('a broken document is refused by the same validator (the check can fail)', { skip }, async () => {
  const broken = structuredClone(spec);
  broken.paths['/catalog/any/{subpath}'].get.parameters[0].in = 'nowhere';
  const result = await new Validator().validate(broken);
  assert.equal(result.valid, false);
});

test('openapi.json lists exactly what is published', { skip }, async () => {
  const paths = Object.keys(spec.paths).sort();
  assert.deepEqual(paths, [
    '/catalog/any', '/catalog/any/{subpath}', '/catalog/jwt', '/catalog/jwt/{subpath}',
    '/catalog/keyed', '/catalog/keyed/{subpath}', '/catalog/old', '/catalog/old/{subpath}',
    '/compat/v1/models', '/compat/v1/models/{subpath}', '/prompts/sentiment', '/prompts/v2/sentiment',
  ]);
  // Methods as matched; any method → the five common ones.
  assert.deepEqual(Object.keys(spec.paths['/catalog/keyed']).sort(), ['get', 'post']);
  assert.deepEqual(Object.keys(spec.paths['/catalog/any']).sort(), ['delete', 'get', 'patch', 'post', 'put']);
  // Auth per entity.
  assert.deepEqual(spec.paths['/compat/v1/models'].get.security, []);
  assert.deepEqual(spec.paths['/catalog/keyed'].get.security, [{ consumerKey: [] }, { consumerKeyHeader: [] }]);
  assert.deepEqual(spec.paths['/catalog/jwt'].get.security, [{ jwt: [] }]);
  assert.equal(spec.components.securitySchemes.consumerKeyHeader.name, 'x-api-key');
  // Lifecycle.
  assert.equal(spec.paths['/catalog/old'].get.deprecated, true);
  assert.match(spec.paths['/catalog/old'].get.description, /2027-06-30/);
  assert.equal(spec.paths['/prompts/v2/sentiment'].post.deprecated, true);
  assert.equal(spec.paths['/prompts/sentiment'].post.deprecated, undefined);
  // Prompt API inputs become the request schema.
  const body = spec.paths['/prompts/sentiment'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(body.required, ['text']);
  assert.deepEqual(body.properties.text, { type: 'string', maxLength: 4000, description: 'The text to classify' });
  assert.deepEqual(body.properties.style, { type: 'string', enum: ['short', 'long'], default: 'short' });
  assert.equal(body.properties.stream.type, 'boolean');
  const v2 = spec.paths['/prompts/v2/sentiment'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(v2.properties.count, { type: 'number', default: 3 });
  assert.deepEqual(v2.properties.verbose, { type: 'boolean', default: false });
  // Operation ids are unique.
  const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  assert.equal(new Set(ids).size, ids.length);
  // Nothing internal leaks: no upstream URL, no service name, no secret reference.
  const text = JSON.stringify(spec);
  assert.ok(!text.includes(mockUrl), 'upstream URL in the document');
  assert.ok(!text.includes('GH_CATALOG_UNUSED'));
  assert.ok(!text.includes('hidden-draft') && !text.includes('/catalog/draft') && !text.includes('/catalog/gone'));
});

test('a config change shows in the next document', { skip }, async () => {
  const config = catalogConfig();
  config.routes = config.routes.filter((r) => r.name !== 'keyed');
  assert.equal((await admin('PUT', '/config', config)).status, 200);
  const again = await (await fetch(`${base}/_gatehouse/openapi.json`)).json();
  assert.equal(again.paths['/catalog/keyed'], undefined);
  assert.equal((await admin('PUT', '/config', catalogConfig())).status, 200);
});

function codeBlocks(html, heading) {
  const unescape = (s) => s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
  const re = new RegExp(`<h4>${heading}[^<]*</h4><pre><code>([\\s\\S]*?)</code></pre>`, 'g');
  return [...html.matchAll(re)].map((m) => unescape(m[1]));
}

test('the portal is self-contained, escaped and lists what is published', { skip }, async () => {
  const response = await fetch(`${base}/_gatehouse/portal/`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match(response.headers.get('content-security-policy'), /default-src 'none'/);
  const html = await response.text();
  assert.ok(!/<script/i.test(html), 'no scripts');
  assert.ok(!/(src|href)="https?:/i.test(html), 'no external assets');
  assert.ok(html.includes('Lists models &lt;b&gt;unescaped?&lt;/b&gt; &amp; &quot;quoted&quot;'));
  for (const name of ['sentiment', 'sentiment-v2', 'models-api', 'keyed', 'any-method', 'old-api', 'jwt-api'])
    assert.ok(html.includes(`<h3>${name}</h3>`), name);
  for (const hidden of ['hidden-draft', 'draft-api', 'gone-api'])
    assert.ok(!html.includes(hidden), hidden);
  assert.ok(html.includes('sunset 2027-06-30'));
  assert.ok(html.includes(base), 'examples use the address the page was fetched from');
});

test('the portal\'s JavaScript examples run against the gateway', { skip }, async () => {
  const html = await (await fetch(`${base}/_gatehouse/portal/`)).text();
  const blocks = codeBlocks(html, 'JavaScript');
  assert.equal(blocks.length, 7);
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-portal-'));
  // The open route's example: fetch it for real and check the upstream answered.
  const models = blocks.find((b) => b.includes('/compat/v1/models'));
  const file = join(dir, 'models.mjs');
  writeFileSync(file, models);
  const out = execFileSync(process.execPath, [file], { env: { ...process.env, GATEHOUSE_URL: base }, timeout: 20000 }).toString();
  assert.match(out, /object: 'list'|"object":"list"|object: "list"/);
  // Every other example at least parses.
  blocks.forEach((block, i) => {
    const path = join(dir, `example${i}.mjs`);
    writeFileSync(path, block);
    const check = spawnSync(process.execPath, ['--check', path]);
    assert.equal(check.status, 0, `${block}\n${check.stderr}`);
  });
});

test('the portal\'s Python examples parse', { skip }, async (t) => {
  const python = spawnSync('python3', ['--version']);
  if (python.status !== 0) {
    t.skip('python3 is not installed');
    return;
  }
  const html = await (await fetch(`${base}/_gatehouse/portal/`)).text();
  const blocks = codeBlocks(html, 'Python');
  assert.equal(blocks.length, 7);
  for (const block of blocks) {
    const check = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: block });
    assert.equal(check.status, 0, `${block}\n${check.stderr}`);
  }
});

test('the curl examples quote what the shell would expand', { skip }, async () => {
  const html = await (await fetch(`${base}/_gatehouse/portal/`)).text();
  const blocks = codeBlocks(html, 'curl');
  assert.equal(blocks.length, 7);
  const open = blocks.find((b) => b.includes('/compat/v1/models'));
  // Run the open route's curl for real when curl exists (it is a Debian base package).
  if (spawnSync('curl', ['--version']).status === 0) {
    const run = spawnSync('bash', ['-c', open.replace(/^curl /, 'curl -sS --max-time 10 ')]);
    assert.equal(run.status, 0, run.stderr.toString());
    assert.match(run.stdout.toString(), /"object":\s*"list"/);
  }
  const prompt = blocks.find((b) => b.includes('/prompts/sentiment'));
  assert.match(prompt, /-H "Authorization: Bearer \$GATEHOUSE_KEY"/);
  assert.match(prompt, /-d '\{"text":"example"\}'/);
});
