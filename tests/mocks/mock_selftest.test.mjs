// Self-test of mock-providers.mjs: the wire shapes other tests rely on, checked with plain
// fetch() against the real CLI (ready line included). No gateway needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { embeddingFor, tokensForText } from './mock-providers.mjs';

const script = fileURLToPath(new URL('./mock-providers.mjs', import.meta.url));
let child;
let base;

before(async () => {
  child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock-providers did not become ready')), 10000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^mock-providers ready (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`mock-providers exited with ${code}`)));
  });
});

after(() => child?.kill('SIGTERM'));

const json = (obj) => JSON.stringify(obj);
async function post(path, body, headers = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : json(body),
  });
}

// Parses an SSE body into [{event, data}] (data parsed as JSON where it is JSON).
function parseSse(text) {
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim())
      continue;
    let event = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':'))
        continue;
      if (line.startsWith('event: '))
        event = line.slice(7);
      else if (line.startsWith('data: '))
        data.push(line.slice(6));
    }
    if (!data.length)
      continue;
    const raw = data.join('\n');
    let parsed = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {}
    events.push({ event, data: parsed });
  }
  return events;
}

const OPENAI = { authorization: 'Bearer test-key-openai' };
const ANTHROPIC = { 'x-api-key': 'test-key-anthropic', 'anthropic-version': '2023-06-01' };
const GEMINI = { 'x-goog-api-key': 'test-key-gemini' };
const TOOLS = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { location: { type: 'string' } } } } },
];

test('requests are recorded and can be cleared', async () => {
  await fetch(`${base}/_mock/requests`, { method: 'DELETE' });
  await post('/compat/v1/chat/completions?x=1', { model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] },
             { 'x-custom': 'yes' });
  const log = await (await fetch(`${base}/_mock/requests`)).json();
  assert.equal(log.length, 1);
  assert.equal(log[0].method, 'POST');
  assert.equal(log[0].path, '/compat/v1/chat/completions');
  assert.deepEqual(log[0].query, { x: '1' });
  assert.equal(log[0].headers['x-custom'], 'yes');
  assert.equal(log[0].body.messages[0].content, 'hi');
  await fetch(`${base}/_mock/requests`, { method: 'DELETE' });
  assert.deepEqual(await (await fetch(`${base}/_mock/requests`)).json(), []);
});

test('OpenAI chat: text, usage, cached and reasoning tokens', async () => {
  const messages = [{ role: 'system', content: 'Use the cache.' }, { role: 'user', content: 'What is up?' }];
  const res = await post('/openai/v1/chat/completions', { model: 'think-1', messages }, OPENAI);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.object, 'chat.completion');
  assert.equal(body.choices[0].message.content, 'Hello from openai: What is up?');
  assert.equal(body.choices[0].finish_reason, 'stop');
  const input = tokensForText('Use the cache.'.length + 'What is up?'.length);
  assert.equal(body.usage.prompt_tokens, Math.max(input, 9));
  assert.equal(body.usage.prompt_tokens_details.cached_tokens, 8);
  assert.equal(body.usage.completion_tokens_details.reasoning_tokens, 4);
  assert.equal(body.usage.completion_tokens, 6 + 4);
  assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
});

test('OpenAI-style vendors: each its own key and name', async () => {
  for (const [prefix, type] of [['/mistral/v1', 'mistral'], ['/deepseek/v1', 'deepseek'], ['/groq/openai/v1', 'groq'],
                                ['/openrouter/api/v1', 'openrouter'], ['/together/v1', 'together'], ['/xai/v1', 'xai']]) {
    const ok = await post(`${prefix}/chat/completions`, { model: 'mock-model', messages: [{ role: 'user', content: 'yo' }] },
                          { authorization: `Bearer test-key-${type}` });
    assert.equal(ok.status, 200, type);
    assert.equal((await ok.json()).choices[0].message.content, `Hello from ${type}: yo`);
    const bad = await post(`${prefix}/chat/completions`, { model: 'mock-model', messages: [] }, { authorization: 'Bearer nope' });
    assert.equal(bad.status, 401, type);
    const models = await fetch(`${base}${prefix}/models`, { headers: { authorization: `Bearer test-key-${type}` } });
    assert.ok((await models.json()).data.some((m) => m.id === 'mock-model'));
  }
});

test('OpenAI errors: auth and malformed requests in OpenAI shape', async () => {
  const missing = await post('/openai/v1/chat/completions', { model: 'm', messages: [] });
  assert.equal(missing.status, 401);
  assert.equal((await missing.json()).error.type, 'invalid_request_error');
  const wrong = await post('/openai/v1/chat/completions', { model: 'm', messages: [] }, { authorization: 'Bearer x' });
  assert.equal((await wrong.json()).error.code, 'invalid_api_key');
  const noMessages = await post('/openai/v1/chat/completions', { model: 'm' }, OPENAI);
  assert.equal(noMessages.status, 400);
  assert.equal((await noMessages.json()).error.param, 'messages');
  const wrongType = await post('/openai/v1/chat/completions', { model: 'm', messages: 'hi' }, OPENAI);
  assert.equal((await wrongType.json()).error.code, 'invalid_type');
  const unknown = await post('/openai/v1/chat/completions',
                             { model: 'm', messages: [{ role: 'user', content: 'x' }], top_k: 3 }, OPENAI);
  assert.equal(unknown.status, 400);
  assert.equal((await unknown.json()).error.message, 'Unrecognized request argument supplied: top_k');
  const orphanTool = await post('/openai/v1/chat/completions',
                                { model: 'm', messages: [{ role: 'tool', tool_call_id: 'x', content: 'r' }] }, OPENAI);
  assert.equal(orphanTool.status, 400);
});

test('OpenAI stream: at least three deltas, usage only when asked for, [DONE]', async () => {
  const messages = [{ role: 'user', content: 'stream please' }];
  for (const includeUsage of [false, true]) {
    const body = { model: 'mock-model', messages, stream: true };
    if (includeUsage)
      body.stream_options = { include_usage: true };
    const res = await post('/openai/v1/chat/completions', body, OPENAI);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    const events = parseSse(await res.text());
    assert.equal(events.at(-1).data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => e.data);
    const deltas = chunks.flatMap((c) => c.choices).map((c) => c.delta?.content).filter(Boolean);
    assert.ok(deltas.length >= 3);
    assert.equal(deltas.join(''), 'Hello from openai: stream please');
    assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'stop'));
    const usage = chunks.filter((c) => c.usage);
    assert.equal(usage.length, includeUsage ? 1 : 0);
    if (includeUsage) {
      assert.deepEqual(chunks.at(-1).choices, []);
      assert.equal(chunks.at(-1).usage.completion_tokens, 5);
    }
  }
});

test('Mistral: rejects stream_options with 422 and always streams usage on the last chunk', async () => {
  const key = { authorization: 'Bearer test-key-mistral' };
  const messages = [{ role: 'user', content: 'hi' }];
  const rejected = await post('/mistral/v1/chat/completions',
                              { model: 'm', messages, stream: true, stream_options: { include_usage: true } }, key);
  assert.equal(rejected.status, 422);
  const chunks = parseSse(await (await post('/mistral/v1/chat/completions', { model: 'm', messages, stream: true }, key)).text())
                   .slice(0, -1).map((e) => e.data);
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
  assert.equal(chunks.at(-1).usage.completion_tokens, 4);
});

test('OpenAI tools: one call, two for "both", arguments streamed in pieces, tool result turn', async () => {
  const one = await (await post('/openai/v1/chat/completions',
                                { model: 'm', messages: [{ role: 'user', content: 'weather?' }], tools: TOOLS }, OPENAI)).json();
  assert.equal(one.choices[0].finish_reason, 'tool_calls');
  assert.equal(one.choices[0].message.tool_calls.length, 1);
  assert.equal(one.choices[0].message.tool_calls[0].function.name, 'get_weather');
  assert.deepEqual(JSON.parse(one.choices[0].message.tool_calls[0].function.arguments), { location: 'Paris' });
  assert.equal(one.usage.completion_tokens, 10);

  const res = await post('/openai/v1/chat/completions',
                         { model: 'm', stream: true, messages: [{ role: 'user', content: 'do both' }], tools: TOOLS }, OPENAI);
  const chunks = parseSse(await res.text()).slice(0, -1).map((e) => e.data);
  const calls = {};
  let argDeltas = 0;
  for (const c of chunks) {
    for (const tc of c.choices[0]?.delta?.tool_calls ?? []) {
      calls[tc.index] ??= { name: '', args: '' };
      if (tc.function?.name)
        calls[tc.index].name = tc.function.name;
      if (tc.function?.arguments) {
        calls[tc.index].args += tc.function.arguments;
        argDeltas++;
      }
    }
  }
  assert.deepEqual(Object.values(calls).map((c) => c.name), ['get_weather', 'get_time']);
  assert.ok(argDeltas >= 4);
  for (const c of Object.values(calls))
    assert.deepEqual(JSON.parse(c.args), { location: 'Paris' });

  const callId = one.choices[0].message.tool_calls[0].id;
  const followUp = await (await post('/openai/v1/chat/completions', {
    model: 'm', tools: TOOLS,
    messages: [{ role: 'user', content: 'weather?' }, one.choices[0].message, { role: 'tool', tool_call_id: callId, content: 'Sunny, 22 C' }],
  }, OPENAI)).json();
  assert.equal(followUp.choices[0].message.content, 'The tool said: Sunny, 22 C');
});

test('OpenAI JSON mode and embeddings (float and base64)', async () => {
  const res = await (await post('/openai/v1/chat/completions', {
    model: 'm', messages: [{ role: 'user', content: 'capital of France' }], response_format: { type: 'json_object' },
  }, OPENAI)).json();
  assert.deepEqual(JSON.parse(res.choices[0].message.content), { answer: 'capital of France' });

  const floats = await (await post('/openai/v1/embeddings', { model: 'e', input: ['alpha', 'beta'] }, OPENAI)).json();
  assert.deepEqual(floats.data.map((d) => d.embedding), [embeddingFor('alpha'), embeddingFor('beta')]);
  assert.equal(floats.usage.prompt_tokens, tokensForText(9));
  const b64 = await (await post('/openai/v1/embeddings', { model: 'e', input: 'alpha', encoding_format: 'base64', dimensions: 5 }, OPENAI)).json();
  const buf = Buffer.from(b64.data[0].embedding, 'base64');
  assert.equal(buf.length, 20);
  assert.deepEqual(Array.from({ length: 5 }, (_, i) => buf.readFloatLE(i * 4)), embeddingFor('alpha', 5));
});

test('Azure: api-key, api-version, content filter results, empty first stream chunk', async () => {
  const path = '/azure/openai/deployments/gpt-dep/chat/completions';
  const messages = [{ role: 'user', content: 'hello azure' }];
  const noVersion = await post(path, { messages }, { 'api-key': 'test-key-azure' });
  assert.equal(noVersion.status, 404);
  assert.deepEqual(await noVersion.json(), { error: { code: '404', message: 'Resource not found' } });
  const badKey = await post(`${path}?api-version=2024-10-21`, { messages }, { 'api-key': 'nope' });
  assert.equal(badKey.status, 401);
  assert.equal((await badKey.json()).error.code, '401');

  const body = await (await post(`${path}?api-version=2024-10-21`, { messages }, { 'api-key': 'test-key-azure' })).json();
  assert.equal(body.choices[0].message.content, 'Hello from azure: hello azure');
  assert.equal(body.prompt_filter_results[0].content_filter_results.hate.filtered, false);
  assert.equal(body.choices[0].content_filter_results.violence.severity, 'safe');

  const events = parseSse(await (await post(`${path}?api-version=2024-10-21`, { messages, stream: true },
                                            { 'api-key': 'test-key-azure' })).text());
  assert.deepEqual(events[0].data.choices, []);
  assert.ok(events[0].data.prompt_filter_results);
  const text = events.slice(1, -1).map((e) => e.data.choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, 'Hello from azure: hello azure');

  const emb = await (await post('/azure/openai/deployments/emb/embeddings?api-version=2024-10-21', { input: 'x' },
                                { 'api-key': 'test-key-azure' })).json();
  assert.deepEqual(emb.data[0].embedding, embeddingFor('x'));
});

test('Anthropic: stream events in order, cache usage, errors in Anthropic shape', async () => {
  const res = await post('/anthropic/v1/messages', {
    model: 'mock-model', max_tokens: 100, stream: true, system: 'You may cache this.',
    messages: [{ role: 'user', content: 'hi claude' }],
  }, ANTHROPIC);
  const events = parseSse(await res.text());
  const names = events.map((e) => e.event);
  assert.equal(names[0], 'message_start');
  assert.equal(names[1], 'content_block_start');
  assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
  for (const e of events)
    assert.equal(e.data.type, e.event);
  const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta.text);
  assert.ok(deltas.length >= 3);
  assert.equal(deltas.join(''), 'Hello from anthropic: hi claude');
  assert.equal(events[0].data.message.usage.cache_read_input_tokens, 8);
  const input = Math.max(tokensForText('You may cache this.'.length + 'hi claude'.length), 9);
  assert.equal(events[0].data.message.usage.input_tokens, input - 8);
  assert.equal(events.at(-2).data.usage.output_tokens, 5);
  assert.equal(events.at(-2).data.delta.stop_reason, 'end_turn');

  const noKey = await post('/anthropic/v1/messages', { model: 'm', max_tokens: 1, messages: [] }, { 'anthropic-version': '2023-06-01' });
  assert.equal(noKey.status, 401);
  assert.deepEqual((await noKey.json()).error.type, 'authentication_error');
  const noVersion = await post('/anthropic/v1/messages', { model: 'm', max_tokens: 1, messages: [] }, { 'x-api-key': 'test-key-anthropic' });
  assert.equal(noVersion.status, 400);
  const noMax = await (await post('/anthropic/v1/messages', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, ANTHROPIC)).json();
  assert.equal(noMax.type, 'error');
  assert.equal(noMax.error.type, 'invalid_request_error');
  assert.match(noMax.error.message, /max_tokens/);
  for (const extra of [{ stream_options: { include_usage: true } }, { n: 1 }]) {
    const r = await post('/anthropic/v1/messages', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], ...extra }, ANTHROPIC);
    assert.equal(r.status, 400);
    assert.match((await r.json()).error.message, new RegExp(`^${Object.keys(extra)[0]}: Extra inputs are not permitted`));
  }
  const systemRole = await post('/anthropic/v1/messages', { model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }, ANTHROPIC);
  assert.equal(systemRole.status, 400);
  const overloaded = await post('/anthropic/v1/messages', { model: 'fail-503', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, ANTHROPIC);
  assert.equal(overloaded.status, 529);
  assert.equal((await overloaded.json()).error.type, 'overloaded_error');
});

test('Anthropic tools: tool_use with input_json_delta pieces, then the tool_result turn', async () => {
  const tools = [{ name: 'get_weather', input_schema: { type: 'object' } }, { name: 'get_time', input_schema: { type: 'object' } }];
  const events = parseSse(await (await post('/anthropic/v1/messages', {
    model: 'm', max_tokens: 100, stream: true, tools, messages: [{ role: 'user', content: 'both places' }],
  }, ANTHROPIC)).text());
  const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block);
  assert.deepEqual(starts.map((b) => [b.type, b.name]), [['tool_use', 'get_weather'], ['tool_use', 'get_time']]);
  const json0 = events.filter((e) => e.event === 'content_block_delta' && e.data.index === 0).map((e) => e.data.delta);
  assert.ok(json0.every((d) => d.type === 'input_json_delta'));
  assert.ok(json0.filter((d) => d.partial_json).length >= 2);
  assert.deepEqual(JSON.parse(json0.map((d) => d.partial_json).join('')), { location: 'Paris' });
  assert.equal(events.find((e) => e.event === 'message_delta').data.delta.stop_reason, 'tool_use');

  const first = await (await post('/anthropic/v1/messages', {
    model: 'm', max_tokens: 100, tools, messages: [{ role: 'user', content: 'weather' }],
  }, ANTHROPIC)).json();
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content[0];
  const second = await (await post('/anthropic/v1/messages', {
    model: 'm', max_tokens: 100, tools,
    messages: [{ role: 'user', content: 'weather' }, { role: 'assistant', content: first.content },
               { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Rainy' }] }],
  }, ANTHROPIC)).json();
  assert.equal(second.content[0].text, 'The tool said: Rainy');
  const unpaired = await post('/anthropic/v1/messages', {
    model: 'm', max_tokens: 100, tools,
    messages: [{ role: 'user', content: 'weather' }, { role: 'assistant', content: first.content }, { role: 'user', content: 'go on' }],
  }, ANTHROPIC);
  assert.equal(unpaired.status, 400);
});

test('Gemini: data lines with CRLF, usageMetadata on chunks, function calls, Google errors', async () => {
  const res = await post('/gemini/v1beta/models/think-1:streamGenerateContent?alt=sse', {
    systemInstruction: { parts: [{ text: 'cache it' }] },
    contents: [{ role: 'user', parts: [{ text: 'hi gemini' }] }],
  }, GEMINI);
  const raw = await res.text();
  assert.ok(raw.startsWith('data: {'));
  assert.ok(raw.endsWith('}\r\n\r\n'));
  const chunks = parseSse(raw).map((e) => e.data);
  assert.ok(chunks.length >= 3);
  assert.ok(chunks.every((c) => c.usageMetadata?.promptTokenCount > 0));
  assert.equal(chunks.map((c) => c.candidates[0].content.parts[0].text).join(''), 'Hello from gemini: hi gemini');
  const last = chunks.at(-1);
  assert.equal(last.candidates[0].finishReason, 'STOP');
  assert.equal(last.usageMetadata.cachedContentTokenCount, 8);
  assert.equal(last.usageMetadata.thoughtsTokenCount, 4);
  assert.equal(last.usageMetadata.candidatesTokenCount, 5);
  assert.equal(last.usageMetadata.totalTokenCount, last.usageMetadata.promptTokenCount + 5 + 4);

  const tools = [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'get_time' }] }];
  const call = await (await post('/gemini/v1beta/models/mock-model:generateContent', {
    contents: [{ role: 'user', parts: [{ text: 'both' }] }], tools,
  }, GEMINI)).json();
  assert.deepEqual(call.candidates[0].content.parts, [
    { functionCall: { name: 'get_weather', args: { location: 'Paris' } } },
    { functionCall: { name: 'get_time', args: { location: 'Paris' } } },
  ]);
  const answer = await (await post('/gemini/v1beta/models/mock-model:generateContent', {
    tools,
    contents: [{ role: 'user', parts: [{ text: 'weather' }] }, { role: 'model', parts: [call.candidates[0].content.parts[0]] },
               { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: 'Foggy' } } }] }],
  }, GEMINI)).json();
  assert.equal(answer.candidates[0].content.parts[0].text, 'The tool said: Foggy');
  const jsonMode = await (await post('/gemini/v1beta/models/mock-model:generateContent', {
    contents: [{ role: 'user', parts: [{ text: 'q' }] }], generationConfig: { responseMimeType: 'application/json' },
  }, GEMINI)).json();
  assert.deepEqual(JSON.parse(jsonMode.candidates[0].content.parts[0].text), { answer: 'q' });

  const badKey = await post('/gemini/v1beta/models/mock-model:generateContent', { contents: [] }, { 'x-goog-api-key': 'x' });
  assert.equal(badKey.status, 401);
  const err = (await badKey.json()).error;
  assert.equal(err.code, 401);
  assert.equal(typeof err.message, 'string');
  assert.equal(err.status, 'UNAUTHENTICATED');
  const noContents = await post('/gemini/v1beta/models/mock-model:generateContent', {}, GEMINI);
  assert.equal(noContents.status, 400);
  assert.equal((await noContents.json()).error.status, 'INVALID_ARGUMENT');
  const unknown = await post('/gemini/v1beta/models/mock-model:generateContent',
                             { contents: [{ role: 'user', parts: [{ text: 'x' }] }], max_tokens: 5 }, GEMINI);
  assert.match((await unknown.json()).error.message, /Unknown name "max_tokens"/);
  const busy = await post('/gemini/v1beta/models/fail-503:generateContent', { contents: [{ parts: [{ text: 'x' }] }] }, GEMINI);
  assert.equal(busy.status, 503);
  assert.equal((await busy.json()).error.status, 'UNAVAILABLE');

  const emb = await (await post('/gemini/v1beta/models/mock-embed:batchEmbedContents', {
    requests: [{ model: 'models/mock-embed', content: { parts: [{ text: 'a' }] }, outputDimensionality: 4 },
               { model: 'models/mock-embed', content: { parts: [{ text: 'b' }] } }],
  }, GEMINI)).json();
  assert.deepEqual(emb.embeddings.map((e) => e.values), [embeddingFor('a', 4), embeddingFor('b')]);
  const list = await (await fetch(`${base}/gemini/v1beta/models`, { headers: GEMINI })).json();
  assert.ok(list.models.some((m) => m.name === 'models/mock-model'));
});

test('Ollama: NDJSON by default, one object with stream false, tools and embeddings', async () => {
  const res = await post('/ollama/api/chat', { model: 'mock-model', messages: [{ role: 'user', content: 'hi llama' }] });
  assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
  const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length >= 4);
  assert.ok(lines.slice(0, -1).every((l) => l.done === false));
  assert.equal(lines.slice(0, -1).map((l) => l.message.content).join(''), 'Hello from ollama: hi llama');
  assert.equal(lines.at(-1).done, true);
  assert.equal(lines.at(-1).done_reason, 'stop');
  assert.equal(lines.at(-1).eval_count, 5);
  assert.equal(lines.at(-1).prompt_eval_count, tokensForText('hi llama'.length));

  const tools = TOOLS;
  const one = await (await post('/ollama/api/chat', { model: 'm', stream: false, tools, messages: [{ role: 'user', content: 'w' }] })).json();
  assert.deepEqual(one.message.tool_calls, [{ function: { name: 'get_weather', arguments: { location: 'Paris' } } }]);
  const after = await (await post('/ollama/api/chat', {
    model: 'm', stream: false, tools,
    messages: [{ role: 'user', content: 'w' }, one.message, { role: 'tool', content: 'Windy' }],
  })).json();
  assert.equal(after.message.content, 'The tool said: Windy');
  const fmt = await (await post('/ollama/api/chat', { model: 'm', stream: false, format: 'json', messages: [{ role: 'user', content: 'q' }] })).json();
  assert.deepEqual(JSON.parse(fmt.message.content), { answer: 'q' });
  const emb = await (await post('/ollama/api/embed', { model: 'e', input: ['x', 'y'] })).json();
  assert.deepEqual(emb.embeddings, [embeddingFor('x'), embeddingFor('y')]);
  const noModel = await post('/ollama/api/chat', { messages: [] });
  assert.equal(noModel.status, 400);
  assert.equal(typeof (await noModel.json()).error, 'string');
  const tags = await (await fetch(`${base}/ollama/api/tags`)).json();
  assert.ok(tags.models.some((m) => m.name === 'mock-model:latest'));
});

test('failure modes: 429 with retry-after, slow, die-midstream, hang', async () => {
  const messages = [{ role: 'user', content: 'x' }];
  const limited = await post('/openai/v1/chat/completions', { model: 'fail-429', messages }, OPENAI);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.equal((await limited.json()).error.code, 'rate_limit_exceeded');
  const rl = await post('/anthropic/v1/messages', { model: 'fail-429', max_tokens: 5, messages }, ANTHROPIC);
  assert.equal((await rl.json()).error.type, 'rate_limit_error');
  assert.equal((await post('/openai/v1/chat/completions', { model: 'fail-500', messages }, OPENAI)).status, 500);

  const t0 = Date.now();
  const slow = await post('/openai/v1/chat/completions', { model: 'slow-300', messages }, OPENAI);
  assert.equal(slow.status, 200);
  assert.ok(Date.now() - t0 >= 290);

  // A stream that dies: the body ends with an error after some data, never cleanly.
  for (const [path, body, headers] of [
    ['/openai/v1/chat/completions', { model: 'die-midstream', messages, stream: true }, OPENAI],
    ['/anthropic/v1/messages', { model: 'die-midstream', max_tokens: 5, messages, stream: true }, ANTHROPIC],
    ['/gemini/v1beta/models/die-midstream:streamGenerateContent?alt=sse', { contents: [{ parts: [{ text: 'x' }] }] }, GEMINI],
    ['/ollama/api/chat', { model: 'die-midstream', messages }, {}],
  ]) {
    const r = await post(path, body, headers);
    assert.equal(r.status, 200, path);
    await assert.rejects(r.text(), path);
  }
  await assert.rejects(post('/openai/v1/chat/completions', { model: 'die-midstream', messages }, OPENAI));

  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 300);
  await assert.rejects(fetch(`${base}/openai/v1/chat/completions`, {
    method: 'POST', headers: OPENAI, body: json({ model: 'hang', messages }), signal: ctrl.signal,
  }), { name: 'AbortError' });
  clearTimeout(timer);
});
