#!/usr/bin/env node
// Mock AI providers for Gatehouse's tests: one HTTP server that speaks the wire format of
// every provider type the gateway routes to (OpenAI and the OpenAI-style vendors, Azure
// OpenAI, Anthropic, Gemini, Ollama), driven by the request so tests can predict each answer.
// The contract (paths, keys, behaviour) is in README.md beside this file.
//
// Wire formats follow the providers' own references: the openai-node and
// @anthropic-ai/sdk type definitions (tests/clients/node_modules), Anthropic's Messages and
// streaming docs, Gemini's generateContent / streamGenerateContent?alt=sse /
// batchEmbedContents / models.list references, Azure OpenAI's REST reference and its
// content-filter annotations, and Ollama's docs/api.md.
//
// Usage: node mock-providers.mjs [--port N]   (prints "mock-providers ready http://127.0.0.1:PORT")
import http from 'node:http';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Deterministic helpers shared with the tests (they import these to predict answers).

export const OPENAI_PREFIXES = {
  '/openai/v1': 'openai',
  '/mistral/v1': 'mistral',
  '/deepseek/v1': 'deepseek',
  '/groq/openai/v1': 'groq',
  '/openrouter/api/v1': 'openrouter',
  '/together/v1': 'together',
  '/xai/v1': 'xai',
  '/compat/v1': 'compat',
};

export const KEYS = {
  openai: 'test-key-openai',
  mistral: 'test-key-mistral',
  deepseek: 'test-key-deepseek',
  groq: 'test-key-groq',
  openrouter: 'test-key-openrouter',
  together: 'test-key-together',
  xai: 'test-key-xai',
  azure: 'test-key-azure',
  anthropic: 'test-key-anthropic',
  gemini: 'test-key-gemini',
};

export const DEFAULT_DIMENSIONS = 8;
export const CACHED_TOKENS = 8;
export const REASONING_TOKENS = 4;
export const TOOL_CALL_TOKENS = 10;

// FNV-1a over UTF-16 code units: stable across runs and platforms.
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// Components are k/1024 in [-1, 1]: exact in float32 and short in JSON, so a base64
// (little-endian float32) round trip through the gateway must reproduce them bit for bit.
export function embeddingFor(text, dimensions = DEFAULT_DIMENSIONS) {
  const out = [];
  for (let i = 0; i < dimensions; i++)
    out.push(((fnv1a(`${text}#${i}`) % 2049) - 1024) / 1024);
  return out;
}

export function embeddingToBase64(vector) {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

export function tokensForText(totalChars) {
  return Math.max(1, Math.ceil(totalChars / 4));
}

export function wordCount(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

// ---------------------------------------------------------------------------------------------
// Small utilities

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const chunkDelayMs = Number(process.env.MOCK_CHUNK_DELAY_MS ?? 5);
let serial = 0;
const nextId = () => (++serial).toString(36).padStart(6, '0');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Splits a reply into at least three stream deltas: by words where there are enough,
// otherwise by characters.
export function splitDeltas(text) {
  // Leading whitespace goes with the next word, like real tokenizers ("Hello", " from", ...).
  const words = text.match(/\s*\S+/g) ?? [];
  if (words.length >= 3) {
    const tail = text.slice(words.join('').length);
    words[words.length - 1] += tail;
    return words;
  }
  const size = Math.max(1, Math.ceil(text.length / 3));
  const pieces = [];
  for (let i = 0; i < text.length; i += size)
    pieces.push(text.slice(i, i + size));
  while (pieces.length < 3)
    pieces.push('');
  return pieces;
}

// Tool-call arguments, streamed in two pieces where the dialect streams argument text.
const TOOL_ARGS = { location: 'Paris' };
const TOOL_ARGS_JSON = JSON.stringify(TOOL_ARGS);
const TOOL_ARG_PIECES = ['{"location":', '"Paris"}'];

// ---------------------------------------------------------------------------------------------
// The behaviour, the same for every provider. Each dialect turns its request into a
// neutral view; `decide` turns that into a reply and usage.

function decide(view, type) {
  // view: { model, systemText, lastRole: 'user'|'tool'|'assistant', lastUserText,
  //         toolResults: [string], tools: [name], forcedTool, toolsDisabled, parallelAllowed,
  //         json, totalChars }
  let reply;
  if (view.lastRole === 'tool') {
    reply = { kind: 'text', text: `The tool said: ${view.toolResults.join(' | ')}` };
  } else if (view.lastRole === 'user' && view.tools.length > 0 && !view.toolsDisabled) {
    let names;
    if (view.forcedTool)
      names = [view.forcedTool];
    else if (/\bboth\b/i.test(view.lastUserText) && view.tools.length >= 2 && view.parallelAllowed)
      names = view.tools.slice(0, 2);
    else
      names = [view.tools[0]];
    reply = { kind: 'tools', calls: names.map((name) => ({ name, args: { ...TOOL_ARGS } })) };
  } else if (view.json) {
    reply = { kind: 'text', text: JSON.stringify({ answer: view.lastUserText }) };
  } else {
    reply = { kind: 'text', text: `Hello from ${type}: ${view.lastUserText}` };
  }
  let input = tokensForText(view.totalChars);
  const cached = /cache/i.test(view.systemText) ? CACHED_TOKENS : 0;
  if (cached)
    input = Math.max(input, cached + 1); // a cache read never covers the whole prompt
  const reasoning = /think/i.test(view.model ?? '') ? REASONING_TOKENS : 0;
  const visible = reply.kind === 'text' ? wordCount(reply.text) : TOOL_CALL_TOKENS * reply.calls.length;
  return { reply, usage: { input, cached, reasoning, visible } };
}

// Failure mode chosen by the upstream model name.
function failureFor(model) {
  const m = String(model ?? '');
  if (m.includes('fail-429'))
    return { kind: 'status', status: 429 };
  if (m.includes('fail-500'))
    return { kind: 'status', status: 500 };
  if (m.includes('fail-503'))
    return { kind: 'status', status: 503 };
  if (m.includes('die-midstream'))
    return { kind: 'die' };
  if (m.includes('hang'))
    return { kind: 'hang' };
  const slow = /slow-(\d+)/.exec(m);
  if (slow)
    return { kind: 'slow', ms: Number(slow[1]) };
  return null;
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

const hanging = new Set();

function send(res, status, body, headers = {}) {
  if (res.destroyed || res.headersSent)
    return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function startSse(res, headers = {}) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
}

async function writeSlowly(res, text) {
  if (res.destroyed)
    return false;
  res.write(text);
  if (chunkDelayMs > 0)
    await sleep(chunkDelayMs);
  return !res.destroyed;
}

function destroy(res) {
  res.socket?.destroy();
  res.destroy();
}

function hang(req, res) {
  hanging.add(res);
  res.on('close', () => hanging.delete(res));
}

// Applies the model's failure mode. Returns true when the request is dealt with.
async function applyFailure(failure, res, req, dialect, streaming) {
  if (!failure)
    return false;
  if (failure.kind === 'slow') {
    await sleep(failure.ms);
    return false;
  }
  if (failure.kind === 'hang') {
    hang(req, res);
    return true;
  }
  if (failure.kind === 'die') {
    if (streaming)
      return false; // the stream writer dies after its first delta
    destroy(res);
    return true;
  }
  const { status } = failure;
  const headers = status === 429 ? { 'retry-after': '1' } : {};
  send(res, dialect.failureStatus?.(status) ?? status, dialect.failureBody(status), headers);
  return true;
}

// ---------------------------------------------------------------------------------------------
// OpenAI dialect (OpenAI itself, the OpenAI-style vendors, Azure OpenAI)

function openAiError(message, type, param = null, code = null) {
  return { error: { message, type, param, code } };
}

function openAiTextOf(content) {
  if (typeof content === 'string')
    return content;
  if (Array.isArray(content))
    return content
      .filter((p) => isObject(p) && (p.type === 'text' || typeof p.text === 'string'))
      .map((p) => p.text ?? '')
      .join('');
  return '';
}

// OpenAI itself (and Azure) reject parameters they do not know; other OpenAI-style
// services are laxer and ignore them.
const OPENAI_CHAT_FIELDS = new Set([
  'model', 'messages', 'audio', 'frequency_penalty', 'function_call', 'functions', 'logit_bias', 'logprobs',
  'max_completion_tokens', 'max_tokens', 'metadata', 'modalities', 'n', 'parallel_tool_calls', 'prediction',
  'presence_penalty', 'prompt_cache_key', 'prompt_cache_retention', 'reasoning_effort', 'response_format',
  'safety_identifier', 'seed', 'service_tier', 'stop', 'store', 'stream', 'stream_options', 'temperature',
  'tool_choice', 'tools', 'top_logprobs', 'top_p', 'user', 'verbosity', 'web_search_options',
  'data_sources', // Azure "on your data"
]);
const OPENAI_EMBEDDING_FIELDS = new Set(['model', 'input', 'encoding_format', 'dimensions', 'user']);

function unknownOpenAiField(body, known) {
  const field = Object.keys(body).find((k) => !known.has(k));
  return field === undefined ? null
    : openAiError(`Unrecognized request argument supplied: ${field}`, 'invalid_request_error', null, null);
}

// Returns an error body or null.
function validateOpenAiChat(body, { requireModel }) {
  if (requireModel && (body.model === undefined || body.model === null))
    return openAiError("Missing required parameter: 'model'.", 'invalid_request_error', 'model',
                       'missing_required_parameter');
  if (body.messages === undefined)
    return openAiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'messages',
                       'missing_required_parameter');
  if (!Array.isArray(body.messages))
    return openAiError(`Invalid type for 'messages': expected an array, but got ${typeof body.messages} instead.`,
                       'invalid_request_error', 'messages', 'invalid_type');
  if (body.messages.length === 0)
    return openAiError("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                       'invalid_request_error', 'messages', 'empty_array');
  const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];
  for (let i = 0; i < body.messages.length; i++) {
    const m = body.messages[i];
    if (!isObject(m))
      return openAiError(`Invalid type for 'messages[${i}]': expected an object, but got ${typeof m} instead.`,
                         'invalid_request_error', `messages[${i}]`, 'invalid_type');
    if (!roles.includes(m.role))
      return openAiError(`Invalid value: '${m.role}'. Supported values are: ${roles.map((r) => `'${r}'`).join(', ')}.`,
                         'invalid_request_error', `messages[${i}].role`, 'invalid_value');
    if (m.role === 'tool' && typeof m.tool_call_id !== 'string')
      return openAiError(`Missing required parameter: 'messages[${i}].tool_call_id'.`, 'invalid_request_error',
                         `messages[${i}].tool_call_id`, 'missing_required_parameter');
  }
  // Every tool message must answer a tool call of the assistant message before it.
  for (let i = 0; i < body.messages.length; i++) {
    if (body.messages[i].role !== 'tool')
      continue;
    let j = i - 1;
    while (j >= 0 && body.messages[j].role === 'tool')
      j--;
    const prev = body.messages[j];
    const ids = (prev?.role === 'assistant' && Array.isArray(prev.tool_calls)) ? prev.tool_calls.map((c) => c?.id) : [];
    if (!ids.includes(body.messages[i].tool_call_id))
      return openAiError("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                         'invalid_request_error', `messages.[${i}].role`, null);
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools))
      return openAiError(`Invalid type for 'tools': expected an array, but got ${typeof body.tools} instead.`,
                         'invalid_request_error', 'tools', 'invalid_type');
    for (let i = 0; i < body.tools.length; i++) {
      if (!isObject(body.tools[i]?.function) || typeof body.tools[i].function.name !== 'string')
        return openAiError(`Missing required parameter: 'tools[${i}].function'.`, 'invalid_request_error',
                           `tools[${i}].function`, 'missing_required_parameter');
    }
  }
  if (body.n !== undefined && body.n !== null && (!Number.isInteger(body.n) || body.n < 1))
    return openAiError(`Invalid 'n': integer below minimum value. Expected a value >= 1, but got ${body.n} instead.`,
                       'invalid_request_error', 'n', 'integer_below_min_value');
  return null;
}

function openAiView(body) {
  const messages = body.messages;
  let totalChars = 0;
  let systemText = '';
  let lastUserText = '';
  for (const m of messages) {
    const text = openAiTextOf(m.content);
    totalChars += text.length;
    if (m.role === 'system' || m.role === 'developer')
      systemText += text;
    if (m.role === 'user')
      lastUserText = text;
    if (Array.isArray(m.tool_calls))
      for (const c of m.tool_calls)
        totalChars += String(c?.function?.arguments ?? '').length;
  }
  const last = messages[messages.length - 1];
  let lastRole = last.role === 'tool' || last.role === 'function' ? 'tool' : last.role === 'user' ? 'user' : 'assistant';
  const toolResults = [];
  if (lastRole === 'tool') {
    for (let i = messages.length - 1; i >= 0 && (messages[i].role === 'tool' || messages[i].role === 'function'); i--)
      toolResults.unshift(openAiTextOf(messages[i].content));
  }
  const tools = (body.tools ?? []).map((t) => t.function.name);
  const choice = body.tool_choice;
  const forcedTool = isObject(choice) ? choice.function?.name ?? null : null;
  const format = body.response_format?.type;
  return {
    model: body.model,
    systemText,
    lastRole,
    lastUserText,
    toolResults,
    tools,
    forcedTool,
    toolsDisabled: choice === 'none',
    parallelAllowed: body.parallel_tool_calls !== false,
    json: format === 'json_object' || format === 'json_schema',
    totalChars,
  };
}

// Usage in OpenAI's shape; the vendor adds its own extras.
function openAiUsage(usage, vendor) {
  const completion = usage.visible + usage.reasoning;
  const out = {
    prompt_tokens: usage.input,
    completion_tokens: completion,
    total_tokens: usage.input + completion,
    prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
  if (vendor === 'deepseek') {
    // DeepSeek's own context-cache counters, next to the OpenAI-style details.
    out.prompt_cache_hit_tokens = usage.cached;
    out.prompt_cache_miss_tokens = usage.input - usage.cached;
  }
  return out;
}

const AZURE_FILTER_OK = { filtered: false, severity: 'safe' };
function azurePromptFilterResults() {
  return [{
    prompt_index: 0,
    content_filter_results: {
      hate: AZURE_FILTER_OK,
      jailbreak: { filtered: false, detected: false },
      self_harm: AZURE_FILTER_OK,
      sexual: AZURE_FILTER_OK,
      violence: AZURE_FILTER_OK,
    },
  }];
}
function azureChoiceFilterResults() {
  return {
    hate: AZURE_FILTER_OK,
    protected_material_code: { filtered: false, detected: false },
    protected_material_text: { filtered: false, detected: false },
    self_harm: AZURE_FILTER_OK,
    sexual: AZURE_FILTER_OK,
    violence: AZURE_FILTER_OK,
  };
}

function openAiToolCalls(calls, base) {
  return calls.map((c, i) => ({
    id: `call_${base}${i}`,
    type: 'function',
    function: { name: c.name, arguments: JSON.stringify(c.args) },
  }));
}

function openAiCompletion(vendor, model, outcome) {
  const id = nextId();
  const { reply } = outcome;
  const message = reply.kind === 'text'
    ? { role: 'assistant', content: reply.text, refusal: null, annotations: [] }
    : { role: 'assistant', content: null, tool_calls: openAiToolCalls(reply.calls, id), refusal: null, annotations: [] };
  const choice = { index: 0, message, logprobs: null, finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls' };
  if (vendor === 'azure')
    choice.content_filter_results = azureChoiceFilterResults();
  const body = {
    id: `chatcmpl-mock${id}`,
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [choice],
    usage: openAiUsage(outcome.usage, vendor),
    system_fingerprint: 'fp_mock',
  };
  if (vendor === 'openai')
    body.service_tier = 'default';
  if (vendor === 'azure')
    body.prompt_filter_results = azurePromptFilterResults();
  if (vendor === 'groq')
    body.x_groq = { id: `req_mock${id}` };
  return body;
}

async function streamOpenAi(res, vendor, model, outcome, { includeUsage, die }) {
  const id = nextId();
  const created = nowSeconds();
  // Mistral has no stream_options: it always puts usage on its last chunk.
  const usageInline = vendor === 'mistral';
  const usageChunk = includeUsage && !usageInline;
  const chunk = (delta, finish = null, extra = {}) => {
    const choice = { index: 0, delta, logprobs: null, finish_reason: finish };
    if (vendor === 'azure')
      choice.content_filter_results = finish === null && delta.role ? {} : azureChoiceFilterResults();
    const c = { id: `chatcmpl-mock${id}`, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock',
                choices: [choice], ...extra };
    if (vendor === 'openai') {
      c.service_tier = 'default';
      c.obfuscation = 'mOck'; // OpenAI pads stream chunks with this field; clients must ignore it
    }
    if (vendor === 'groq')
      c.x_groq = { id: `req_mock${id}` };
    if (usageChunk)
      c.usage = null;
    return c;
  };
  const write = (obj) => writeSlowly(res, `data: ${JSON.stringify(obj)}\n\n`);

  startSse(res);
  if (vendor === 'openrouter')
    await writeSlowly(res, ': OPENROUTER PROCESSING\n\n'); // SSE comment keep-alives
  if (vendor === 'azure') {
    // Azure's first chunk carries only the prompt's content-filter results.
    await write({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: azurePromptFilterResults() });
  }
  const { reply } = outcome;
  if (!(await write(chunk({ role: 'assistant', content: reply.kind === 'text' ? '' : null, refusal: null }))))
    return;
  if (reply.kind === 'text') {
    const pieces = splitDeltas(reply.text);
    for (const piece of pieces) {
      if (!(await write(chunk({ content: piece }))))
        return;
      if (die) {
        destroy(res);
        return;
      }
    }
  } else {
    const calls = openAiToolCalls(reply.calls, id);
    for (let i = 0; i < calls.length; i++) {
      if (vendor === 'mistral') {
        // Mistral sends each call whole in one chunk.
        if (!(await write(chunk({ tool_calls: [{ index: i, ...calls[i] }] }))))
          return;
        continue;
      }
      const head = { index: i, id: calls[i].id, type: 'function', function: { name: calls[i].function.name, arguments: '' } };
      if (!(await write(chunk({ tool_calls: [head] }))))
        return;
      for (const piece of TOOL_ARG_PIECES) {
        if (!(await write(chunk({ tool_calls: [{ index: i, function: { arguments: piece } }] }))))
          return;
        if (die) {
          destroy(res);
          return;
        }
      }
    }
  }
  const finish = reply.kind === 'text' ? 'stop' : 'tool_calls';
  const last = chunk({}, finish);
  if (usageInline)
    last.usage = openAiUsage(outcome.usage, vendor);
  if (!(await write(last)))
    return;
  if (usageChunk) {
    const u = chunk({}, null);
    u.choices = [];
    u.usage = openAiUsage(outcome.usage, vendor);
    if (!(await write(u)))
      return;
  }
  await writeSlowly(res, 'data: [DONE]\n\n');
  res.end();
}

function openAiFailureBody(vendor, status) {
  if (vendor === 'azure') {
    if (status === 429)
      return { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second.' } };
    if (status === 503)
      return { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' } };
    return { error: { code: 'InternalServerError', message: 'The server had an error while processing your request. Sorry about that!' } };
  }
  if (status === 429)
    return openAiError(`Rate limit reached for requests on ${vendor}. Please try again in 1s.`, 'requests', null, 'rate_limit_exceeded');
  if (status === 503)
    return openAiError('The engine is currently overloaded, please try again later.', 'server_error');
  return openAiError('The server had an error while processing your request. Sorry about that!', 'server_error');
}

function openAiAuthError(vendor, provided) {
  switch (vendor) {
  case 'mistral':
    return { message: 'Unauthorized', request_id: `mock${nextId()}` };
  case 'openrouter':
    return { error: { message: provided ? 'User not found.' : 'No auth credentials found', code: 401 } };
  case 'azure':
    return { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } };
  default:
    if (!provided)
      return openAiError("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                         'invalid_request_error');
    return openAiError(`Incorrect API key provided: ${provided.slice(0, 6)}***. You can find your API key in your ${vendor} account.`,
                       'invalid_request_error', null, 'invalid_api_key');
  }
}

function bearer(req) {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : '';
}

const OPENAI_MODELS = ['mock-model', 'think-1', 'mock-embed'];

async function handleOpenAi(req, res, vendor, rest, body, rawBody, query, azureDeployment) {
  // Auth first, like the real services.
  if (vendor === 'azure') {
    const key = req.headers['api-key'] ?? '';
    if (key !== KEYS.azure)
      return send(res, 401, openAiAuthError('azure', key));
    if (!query['api-version'])
      return send(res, 404, { error: { code: '404', message: 'Resource not found' } });
  } else if (vendor !== 'compat') {
    const key = bearer(req);
    if (key !== KEYS[vendor])
      return send(res, 401, openAiAuthError(vendor, key));
  }

  if (req.method === 'GET' && rest === '/models' && vendor !== 'azure') {
    return send(res, 200, {
      object: 'list',
      data: OPENAI_MODELS.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: vendor })),
    });
  }
  if (req.method !== 'POST' || (rest !== '/chat/completions' && rest !== '/embeddings'))
    return send(res, 404, vendor === 'azure' ? { error: { code: '404', message: 'Resource not found' } }
                                             : openAiError(`Invalid URL (${req.method} ${req.url})`, 'invalid_request_error'));
  if (!isObject(body))
    return send(res, 400, openAiError('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
                                      'invalid_request_error'));
  const model = vendor === 'azure' ? azureDeployment : body.model;
  const dialect = { failureBody: (status) => openAiFailureBody(vendor, status) };

  const strict = vendor === 'openai' || vendor === 'azure';
  const unknown = strict && unknownOpenAiField(body, rest === '/embeddings' ? OPENAI_EMBEDDING_FIELDS : OPENAI_CHAT_FIELDS);
  if (unknown)
    return send(res, 400, unknown);
  if (rest === '/embeddings')
    return handleOpenAiEmbeddings(req, res, vendor, model, body, dialect);

  if (vendor === 'mistral' && body.stream_options !== undefined) {
    // Mistral validates with pydantic and forbids fields it does not know.
    return send(res, 422, {
      object: 'error',
      message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted', input: body.stream_options }] },
      type: 'invalid_request_error', param: null, code: null,
    });
  }
  const invalid = validateOpenAiChat(body, { requireModel: vendor !== 'azure' });
  if (invalid)
    return send(res, 400, invalid);

  const streaming = body.stream === true;
  const failure = failureFor(model);
  if (await applyFailure(failure, res, req, dialect, streaming))
    return;
  const outcome = decide(openAiView(body), vendor);
  if (!streaming)
    return send(res, 200, openAiCompletion(vendor, model, outcome));
  await streamOpenAi(res, vendor, model, outcome, {
    includeUsage: body.stream_options?.include_usage === true,
    die: failure?.kind === 'die',
  });
}

function embeddingInputs(input) {
  // OpenAI accepts a string, an array of strings, or token arrays.
  if (typeof input === 'string')
    return [input];
  if (Array.isArray(input) && input.every((s) => typeof s === 'string'))
    return input;
  if (Array.isArray(input) && input.every((n) => Number.isInteger(n)))
    return [input.join(' ')];
  if (Array.isArray(input) && input.every((a) => Array.isArray(a)))
    return input.map((a) => a.join(' '));
  return null;
}

async function handleOpenAiEmbeddings(req, res, vendor, model, body, dialect) {
  if (vendor !== 'azure' && (body.model === undefined || body.model === null))
    return send(res, 400, openAiError('you must provide a model parameter', 'invalid_request_error'));
  if (body.input === undefined)
    return send(res, 400, openAiError("'input' is a required property", 'invalid_request_error'));
  const inputs = embeddingInputs(body.input);
  if (!inputs || inputs.length === 0)
    return send(res, 400, openAiError("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
                                      'invalid_request_error'));
  if (body.encoding_format !== undefined && body.encoding_format !== 'float' && body.encoding_format !== 'base64')
    return send(res, 400, openAiError(`Invalid value: '${body.encoding_format}'. Supported values are: 'float' and 'base64'.`,
                                      'invalid_request_error', 'encoding_format', 'invalid_value'));
  if (await applyFailure(failureFor(model), res, req, dialect, false))
    return;
  const dims = Number.isInteger(body.dimensions) && body.dimensions > 0 ? body.dimensions : DEFAULT_DIMENSIONS;
  const base64 = body.encoding_format === 'base64';
  const tokens = tokensForText(inputs.reduce((n, s) => n + s.length, 0));
  send(res, 200, {
    object: 'list',
    data: inputs.map((text, index) => {
      const v = embeddingFor(text, dims);
      return { object: 'embedding', index, embedding: base64 ? embeddingToBase64(v) : v };
    }),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

// ---------------------------------------------------------------------------------------------
// Anthropic Messages API

const ANTHROPIC_FIELDS = new Set([
  'model', 'messages', 'max_tokens', 'system', 'metadata', 'stop_sequences', 'stream', 'temperature', 'top_k',
  'top_p', 'tools', 'tool_choice', 'thinking', 'service_tier', 'container', 'mcp_servers', 'context_management',
  'output_config', 'output_format', 'cache_control', 'inference_geo', 'speed', 'diagnostics', 'user_profile_id',
  'workspace_id',
]);

function anthropicError(type, message) {
  return { type: 'error', error: { type, message }, request_id: `req_mock${nextId()}` };
}

function anthropicBlocks(content) {
  if (typeof content === 'string')
    return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

function anthropicToolResultText(block) {
  if (typeof block.content === 'string')
    return block.content;
  return anthropicBlocks(block.content).filter((b) => b?.type === 'text').map((b) => b.text).join('');
}

function validateAnthropic(body) {
  for (const key of Object.keys(body)) {
    if (!ANTHROPIC_FIELDS.has(key))
      return `${key}: Extra inputs are not permitted`;
  }
  for (const key of ['model', 'max_tokens', 'messages']) {
    if (body[key] === undefined)
      return `${key}: Field required`;
  }
  if (typeof body.model !== 'string')
    return 'model: Input should be a valid string';
  if (!Number.isInteger(body.max_tokens))
    return 'max_tokens: Input should be a valid integer';
  if (body.max_tokens < 1)
    return 'max_tokens: Input should be greater than or equal to 1';
  if (!Array.isArray(body.messages))
    return 'messages: Input should be a valid list';
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system))
    return 'system: Input should be a valid string';
  const msgs = body.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (!isObject(m))
      return `messages.${i}: Input should be a valid dictionary or object to extract fields from`;
    if (m.role !== 'user' && m.role !== 'assistant') {
      if (m.role === 'system')
        return 'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.';
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    if (typeof m.content !== 'string' && !Array.isArray(m.content))
      return `messages.${i}.content: Input should be a valid list`;
    const isFinalAssistant = i === msgs.length - 1 && m.role === 'assistant';
    if (!isFinalAssistant && (m.content === '' || (Array.isArray(m.content) && m.content.length === 0)))
      return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    for (const b of anthropicBlocks(m.content)) {
      if (b?.type === 'text' && (typeof b.text !== 'string' || b.text === ''))
        return 'messages: text content blocks must be non-empty';
      if (b?.type === 'tool_use' && m.role !== 'assistant')
        return `messages.${i}: tool_use blocks can only be in assistant messages`;
      if (b?.type === 'tool_result' && m.role !== 'user')
        return `messages.${i}: tool_result blocks can only be in user messages`;
    }
  }
  // tool_use / tool_result pairing, checked the way the API does.
  for (let i = 0; i < msgs.length; i++) {
    const uses = anthropicBlocks(msgs[i].content).filter((b) => b?.type === 'tool_use').map((b) => b.id);
    const results = anthropicBlocks(msgs[i].content).filter((b) => b?.type === 'tool_result').map((b) => b.tool_use_id);
    if (results.length) {
      const prevUses = i > 0 ? anthropicBlocks(msgs[i - 1].content).filter((b) => b?.type === 'tool_use').map((b) => b.id) : [];
      const unexpected = results.filter((id) => !prevUses.includes(id));
      if (unexpected.length)
        return `messages.${i}.content.0: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unexpected.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
    if (uses.length && i + 1 < msgs.length) {
      const nextResults = anthropicBlocks(msgs[i + 1].content).filter((b) => b?.type === 'tool_result').map((b) => b.tool_use_id);
      const missing = uses.filter((id) => !nextResults.includes(id));
      if (missing.length)
        return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools))
      return 'tools: Input should be a valid list';
    for (let i = 0; i < body.tools.length; i++) {
      const t = body.tools[i];
      if (!isObject(t) || typeof t.name !== 'string')
        return `tools.${i}.name: Field required`;
      if (t.type === undefined || t.type === 'custom') {
        if (!isObject(t.input_schema))
          return `tools.${i}.custom.input_schema: Field required`;
      }
    }
  }
  return null;
}

function anthropicView(body) {
  let totalChars = 0;
  const systemText = typeof body.system === 'string'
    ? body.system
    : anthropicBlocks(body.system).filter((b) => b?.type === 'text').map((b) => b.text).join('');
  totalChars += systemText.length;
  let lastUserText = '';
  for (const m of body.messages) {
    let userText = '';
    for (const b of anthropicBlocks(m.content)) {
      if (b?.type === 'text') {
        totalChars += b.text.length;
        userText += b.text;
      } else if (b?.type === 'tool_result') {
        totalChars += anthropicToolResultText(b).length;
      } else if (b?.type === 'tool_use') {
        totalChars += JSON.stringify(b.input ?? {}).length;
      }
    }
    if (m.role === 'user' && userText)
      lastUserText = userText;
  }
  const last = body.messages[body.messages.length - 1];
  const lastBlocks = last ? anthropicBlocks(last.content) : [];
  const results = lastBlocks.filter((b) => b?.type === 'tool_result');
  const lastRole = !last ? 'user' : last.role === 'assistant' ? 'assistant' : results.length ? 'tool' : 'user';
  const choice = body.tool_choice;
  return {
    model: body.model,
    systemText,
    lastRole,
    lastUserText,
    toolResults: results.map(anthropicToolResultText),
    tools: (body.tools ?? []).map((t) => t.name),
    forcedTool: choice?.type === 'tool' ? choice.name : null,
    toolsDisabled: choice?.type === 'none',
    parallelAllowed: choice?.disable_parallel_tool_use !== true,
    json: body.output_config?.format?.type === 'json_schema' || body.output_format?.type === 'json_schema',
    totalChars,
  };
}

function anthropicUsage(usage, { final = true } = {}) {
  const out = {
    input_tokens: usage.input - usage.cached, // Anthropic counts cache reads separately
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cached,
    output_tokens: final ? usage.visible + usage.reasoning : 1,
    service_tier: 'standard',
  };
  if (usage.reasoning && final)
    out.output_tokens_details = { thinking_tokens: usage.reasoning };
  return out;
}

function anthropicContent(reply, id) {
  if (reply.kind === 'text')
    return [{ type: 'text', text: reply.text }];
  return reply.calls.map((c, i) => ({ type: 'tool_use', id: `toolu_mock${id}${i}`, name: c.name, input: c.args }));
}

async function streamAnthropic(res, model, outcome, die) {
  const id = nextId();
  const { reply, usage } = outcome;
  const event = (name, data) => writeSlowly(res, `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
  startSse(res, { 'request-id': `req_mock${id}` });
  if (!(await event('message_start', {
    message: { id: `msg_mock${id}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null,
               stop_sequence: null, usage: anthropicUsage(usage, { final: false }) },
  })))
    return;
  const blocks = anthropicContent(reply, id);
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    if (block.type === 'text') {
      if (!(await event('content_block_start', { index, content_block: { type: 'text', text: '' } })))
        return;
      if (index === 0 && !(await event('ping', {})))
        return;
      for (const piece of splitDeltas(block.text)) {
        if (!(await event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } })))
          return;
        if (die) {
          destroy(res);
          return;
        }
      }
    } else {
      if (!(await event('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } })))
        return;
      for (const piece of ['', ...TOOL_ARG_PIECES]) {
        if (!(await event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } })))
          return;
        if (die && piece) {
          destroy(res);
          return;
        }
      }
    }
    if (!(await event('content_block_stop', { index })))
      return;
  }
  const finalUsage = anthropicUsage(usage);
  delete finalUsage.service_tier;
  if (!(await event('message_delta', {
    delta: { stop_reason: reply.kind === 'text' ? 'end_turn' : 'tool_use', stop_sequence: null },
    usage: finalUsage,
  })))
    return;
  await event('message_stop', {});
  res.end();
}

function anthropicFailure(status) {
  if (status === 429)
    return { status: 429, body: anthropicError('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit (mock). Please retry after 1 second.') };
  if (status === 503)
    return { status: 529, body: anthropicError('overloaded_error', 'Overloaded') };
  return { status: 500, body: anthropicError('api_error', 'Internal server error') };
}

async function handleAnthropic(req, res, rest, body) {
  const key = req.headers['x-api-key'] ?? '';
  if (key !== KEYS.anthropic)
    return send(res, 401, anthropicError('authentication_error', 'invalid x-api-key'));
  if (!req.headers['anthropic-version'])
    return send(res, 400, anthropicError('invalid_request_error', 'anthropic-version: header is required'));
  if (req.method === 'GET' && rest === '/v1/models') {
    const data = ['mock-model', 'think-1'].map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
    return send(res, 200, { data, has_more: false, first_id: data[0].id, last_id: data[data.length - 1].id });
  }
  if (req.method !== 'POST' || rest !== '/v1/messages')
    return send(res, 404, anthropicError('not_found_error', 'Not found'));
  if (!isObject(body))
    return send(res, 400, anthropicError('invalid_request_error', 'There was an issue with the JSON body of your request.'));
  const invalid = validateAnthropic(body);
  if (invalid)
    return send(res, 400, anthropicError('invalid_request_error', invalid));
  const streaming = body.stream === true;
  const failure = failureFor(body.model);
  const dialect = {
    failureStatus: (status) => anthropicFailure(status).status,
    failureBody: (status) => anthropicFailure(status).body,
  };
  if (await applyFailure(failure, res, req, dialect, streaming))
    return;
  const outcome = decide(anthropicView(body), 'anthropic');
  if (streaming)
    return streamAnthropic(res, body.model, outcome, failure?.kind === 'die');
  const id = nextId();
  send(res, 200, {
    id: `msg_mock${id}`,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content: anthropicContent(outcome.reply, id),
    stop_reason: outcome.reply.kind === 'text' ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: anthropicUsage(outcome.usage),
  }, { 'request-id': `req_mock${id}` });
}

// ---------------------------------------------------------------------------------------------
// Gemini (Generative Language API v1beta)

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const GEMINI_FIELDS = new Set(['model', 'contents', 'tools', 'toolConfig', 'safetySettings', 'systemInstruction',
                               'generationConfig', 'cachedContent', 'labels']);
const GEMINI_GENERATION_FIELDS = new Set([
  'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount',
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs',
  'logprobs', 'enableEnhancedCivicAnswers', 'speechConfig', 'thinkingConfig', 'mediaResolution', 'imageConfig',
]);

function googleError(code, status, message, details) {
  const error = { code, message, status };
  if (details)
    error.details = details;
  return { error };
}

function geminiField(obj, name) {
  // The API takes proto field names in camelCase or snake_case.
  if (obj[name] !== undefined)
    return obj[name];
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return obj[snake];
}

function geminiPartsText(content) {
  const parts = Array.isArray(content?.parts) ? content.parts : [];
  return parts.filter((p) => typeof p?.text === 'string').map((p) => p.text).join('');
}

function geminiFunctionResponseText(fr) {
  const response = fr?.response;
  if (typeof response === 'string')
    return response;
  if (isObject(response)) {
    for (const k of ['content', 'result', 'output', 'text']) {
      if (typeof response[k] === 'string')
        return response[k];
    }
    const values = Object.values(response);
    if (values.length === 1 && typeof values[0] === 'string')
      return values[0];
  }
  return JSON.stringify(response ?? {});
}

function validateGemini(body) {
  for (const key of Object.keys(body)) {
    if (!GEMINI_FIELDS.has(camel(key)))
      return `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`;
  }
  const gen = geminiField(body, 'generationConfig');
  if (gen !== undefined) {
    if (!isObject(gen))
      return `Invalid value at 'generation_config' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig), ${JSON.stringify(gen)}`;
    for (const key of Object.keys(gen)) {
      if (!GEMINI_GENERATION_FIELDS.has(camel(key)))
        return `Invalid JSON payload received. Unknown name "${key}" at 'generation_config': Cannot find field.`;
    }
  }
  const contents = body.contents;
  if (contents === undefined || (Array.isArray(contents) && contents.length === 0))
    return '* GenerateContentRequest.contents: contents is not specified\n';
  if (!Array.isArray(contents))
    return `Invalid value at 'contents' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content), ${JSON.stringify(contents)}`;
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i];
    if (!isObject(c) || !Array.isArray(c.parts) || c.parts.length === 0)
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`;
    if (c.role !== undefined && !['user', 'model', 'function'].includes(c.role))
      return 'Please use a valid role: user, model.';
    const responses = c.parts.filter((p) => geminiField(p, 'functionResponse') !== undefined).length;
    if (responses) {
      const prev = contents[i - 1];
      const calls = (prev?.parts ?? []).filter((p) => geminiField(p, 'functionCall') !== undefined).length;
      if (calls !== responses)
        return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
  }
  return null;
}

function geminiView(model, body) {
  const system = geminiField(body, 'systemInstruction');
  const systemText = typeof system === 'string' ? system : geminiPartsText(system);
  let totalChars = systemText.length;
  let lastUserText = '';
  for (const c of body.contents) {
    for (const p of c.parts) {
      if (typeof p?.text === 'string')
        totalChars += p.text.length;
      const fr = geminiField(p, 'functionResponse');
      if (fr)
        totalChars += geminiFunctionResponseText(fr).length;
      const fc = geminiField(p, 'functionCall');
      if (fc)
        totalChars += JSON.stringify(fc.args ?? {}).length;
    }
    if (c.role !== 'model') {
      const text = geminiPartsText(c);
      if (text)
        lastUserText = text;
    }
  }
  const last = body.contents[body.contents.length - 1];
  const responses = last.parts.map((p) => geminiField(p, 'functionResponse')).filter(Boolean);
  const lastRole = last.role === 'model' ? 'assistant' : responses.length ? 'tool' : 'user';
  const tools = [];
  for (const t of body.tools ?? [])
    for (const d of geminiField(t, 'functionDeclarations') ?? [])
      tools.push(d.name);
  const fcc = geminiField(geminiField(body, 'toolConfig') ?? {}, 'functionCallingConfig') ?? {};
  const allowed = geminiField(fcc, 'allowedFunctionNames');
  const gen = geminiField(body, 'generationConfig') ?? {};
  return {
    model,
    systemText,
    lastRole,
    lastUserText,
    toolResults: responses.map(geminiFunctionResponseText),
    tools,
    forcedTool: fcc.mode === 'ANY' && Array.isArray(allowed) && allowed.length === 1 ? allowed[0] : null,
    toolsDisabled: fcc.mode === 'NONE',
    parallelAllowed: true,
    json: geminiField(gen, 'responseMimeType') === 'application/json',
    totalChars,
  };
}

// Gemini omits zero counts; thoughts are reported apart from the candidates' tokens.
function geminiUsage(usage, { final = true } = {}) {
  const out = { promptTokenCount: usage.input };
  if (final)
    out.candidatesTokenCount = usage.visible;
  out.totalTokenCount = usage.input + (final ? usage.visible + usage.reasoning : 0);
  if (usage.cached)
    out.cachedContentTokenCount = usage.cached;
  if (final && usage.reasoning)
    out.thoughtsTokenCount = usage.reasoning;
  out.promptTokensDetails = [{ modality: 'TEXT', tokenCount: usage.input }];
  if (usage.cached)
    out.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: usage.cached }];
  return out;
}

function geminiParts(reply) {
  if (reply.kind === 'text')
    return [{ text: reply.text }];
  return reply.calls.map((c) => ({ functionCall: { name: c.name, args: c.args } }));
}

function geminiFailure(status) {
  if (status === 429)
    return googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.',
                       [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' }]);
  if (status === 503)
    return googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
  return googleError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
}

const GEMINI_MODELS = [
  { name: 'models/mock-model', methods: ['generateContent', 'countTokens'] },
  { name: 'models/think-1', methods: ['generateContent', 'countTokens'] },
  { name: 'models/mock-embed', methods: ['embedContent', 'batchEmbedContents'] },
];

async function handleGemini(req, res, rest, body, query) {
  const key = req.headers['x-goog-api-key'] ?? query.key ?? '';
  if (key !== KEYS.gemini) {
    // The contract's 401 (the real API answers a bad key with 400 API_KEY_INVALID and a
    // missing one with 403), in Google's error shape.
    return send(res, 401, googleError(401, 'UNAUTHENTICATED', 'API key not valid. Please pass a valid API key.', [{
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    }]));
  }
  if (req.method === 'GET' && rest === '/v1beta/models') {
    return send(res, 200, {
      models: GEMINI_MODELS.map((m) => ({
        name: m.name, version: '001', displayName: m.name.slice(7), description: 'Mock model',
        inputTokenLimit: 1048576, outputTokenLimit: 8192, supportedGenerationMethods: m.methods,
        temperature: 1, topP: 0.95, topK: 40, maxTemperature: 2,
      })),
    });
  }
  const match = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/.exec(rest);
  if (!match || req.method !== 'POST')
    return send(res, 404, googleError(404, 'NOT_FOUND', `Method not found.`));
  const model = decodeURIComponent(match[1]);
  const method = match[2];
  if (!isObject(body))
    return send(res, 400, googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.'));
  const dialect = { failureBody: geminiFailure };

  if (method === 'batchEmbedContents' || method === 'embedContent') {
    const requests = method === 'embedContent' ? [body] : body.requests;
    if (!Array.isArray(requests) || requests.length === 0)
      return send(res, 400, googleError(400, 'INVALID_ARGUMENT', '* BatchEmbedContentsRequest.requests: at least one request is required\n'));
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i];
      if (method === 'batchEmbedContents' && r?.model !== undefined && r.model !== `models/${model}`)
        return send(res, 400, googleError(400, 'INVALID_ARGUMENT', `* BatchEmbedContentsRequest.requests[${i}].model: model in the request (${r.model}) does not match the batch model models/${model}\n`));
      if (!isObject(r?.content) || !Array.isArray(r.content.parts))
        return send(res, 400, googleError(400, 'INVALID_ARGUMENT', `* BatchEmbedContentsRequest.requests[${i}].content: content is not specified\n`));
    }
    if (await applyFailure(failureFor(model), res, req, dialect, false))
      return;
    const embeddings = requests.map((r) => {
      const dims = geminiField(r, 'outputDimensionality');
      return { values: embeddingFor(geminiPartsText(r.content), Number.isInteger(dims) && dims > 0 ? dims : DEFAULT_DIMENSIONS) };
    });
    return send(res, 200, method === 'embedContent' ? { embedding: embeddings[0] } : { embeddings });
  }
  if (method !== 'generateContent' && method !== 'streamGenerateContent')
    return send(res, 404, googleError(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for ${method}.`));

  const invalid = validateGemini(body);
  if (invalid)
    return send(res, 400, googleError(400, 'INVALID_ARGUMENT', invalid));
  const streaming = method === 'streamGenerateContent';
  const failure = failureFor(model);
  if (await applyFailure(failure, res, req, dialect, streaming))
    return;
  const outcome = decide(geminiView(model, body), 'gemini');
  const responseId = `mock${nextId()}`;
  if (!streaming) {
    return send(res, 200, {
      candidates: [{ content: { parts: geminiParts(outcome.reply), role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: geminiUsage(outcome.usage),
      modelVersion: model,
      responseId,
    });
  }
  if (query.alt !== 'sse') {
    // Without alt=sse the API streams one JSON array; the gateway is expected to ask for SSE.
    return send(res, 400, googleError(400, 'INVALID_ARGUMENT', 'mock-providers only streams with alt=sse'));
  }
  startSse(res);
  // Gemini's SSE events end in CRLF pairs.
  const write = (obj) => writeSlowly(res, `data: ${JSON.stringify(obj)}\r\n\r\n`);
  const { reply } = outcome;
  const pieces = reply.kind === 'text' ? splitDeltas(reply.text).map((text) => [{ text }]) : [geminiParts(reply)];
  for (let i = 0; i < pieces.length; i++) {
    const final = i === pieces.length - 1;
    const candidate = { content: { parts: pieces[i], role: 'model' }, index: 0 };
    if (final)
      candidate.finishReason = 'STOP';
    if (!(await write({ candidates: [candidate], usageMetadata: geminiUsage(outcome.usage, { final }), modelVersion: model, responseId })))
      return;
    if (failure?.kind === 'die') {
      destroy(res);
      return;
    }
  }
  res.end();
}

// ---------------------------------------------------------------------------------------------
// Ollama

function ollamaView(body) {
  let totalChars = 0;
  let systemText = '';
  let lastUserText = '';
  for (const m of body.messages) {
    const text = typeof m.content === 'string' ? m.content : '';
    totalChars += text.length;
    if (m.role === 'system')
      systemText += text;
    if (m.role === 'user')
      lastUserText = text;
    for (const c of m.tool_calls ?? [])
      totalChars += JSON.stringify(c?.function?.arguments ?? {}).length;
  }
  const last = body.messages[body.messages.length - 1];
  const lastRole = !last ? 'user' : last.role === 'tool' ? 'tool' : last.role === 'user' ? 'user' : 'assistant';
  const toolResults = [];
  for (let i = body.messages.length - 1; i >= 0 && body.messages[i].role === 'tool'; i--)
    toolResults.unshift(String(body.messages[i].content ?? ''));
  return {
    model: body.model,
    systemText,
    lastRole,
    lastUserText,
    toolResults,
    tools: (body.tools ?? []).map((t) => t?.function?.name).filter(Boolean),
    forcedTool: null,
    toolsDisabled: false,
    parallelAllowed: true,
    json: body.format === 'json' || isObject(body.format),
    totalChars,
  };
}

function ollamaStats(usage) {
  return {
    total_duration: 123456789,
    load_duration: 1234567,
    prompt_eval_count: usage.input,
    prompt_eval_duration: 2345678,
    eval_count: usage.visible + usage.reasoning,
    eval_duration: 34567890,
  };
}

function ollamaMessage(reply) {
  if (reply.kind === 'text')
    return { role: 'assistant', content: reply.text };
  return { role: 'assistant', content: '', tool_calls: reply.calls.map((c) => ({ function: { name: c.name, arguments: c.args } })) };
}

function ollamaFailure(status) {
  if (status === 429)
    return { error: 'too many requests, please retry later' };
  if (status === 503)
    return { error: 'server busy, please try again.  maximum pending requests exceeded' };
  return { error: 'llama runner process has terminated: exit status 2' };
}

async function handleOllama(req, res, rest, body) {
  if (req.method === 'GET' && rest === '/api/tags') {
    return send(res, 200, {
      models: ['mock-model:latest', 'think-1:latest', 'mock-embed:latest'].map((name) => ({
        name, model: name, modified_at: '2025-01-01T00:00:00.000000000Z', size: 1000000, digest: `${fnv1a(name).toString(16)}`,
        details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '1B', quantization_level: 'Q4_0' },
      })),
    });
  }
  if (req.method !== 'POST' || !['/api/chat', '/api/embed', '/api/embeddings'].includes(rest))
    return send(res, 404, '404 page not found', { 'content-type': 'text/plain; charset=utf-8' });
  if (!isObject(body))
    return send(res, 400, { error: 'invalid character looking for beginning of value' });
  if (typeof body.model !== 'string' || body.model === '')
    return send(res, 400, { error: 'model is required' });
  const dialect = { failureBody: ollamaFailure };

  if (rest === '/api/embed' || rest === '/api/embeddings') {
    const legacy = rest === '/api/embeddings';
    const input = legacy ? body.prompt : body.input;
    const inputs = typeof input === 'string' ? [input] : Array.isArray(input) ? input : null;
    if (!inputs || inputs.some((s) => typeof s !== 'string'))
      return send(res, 400, { error: 'invalid input type' });
    if (await applyFailure(failureFor(body.model), res, req, dialect, false))
      return;
    const dims = Number.isInteger(body.dimensions) && body.dimensions > 0 ? body.dimensions : DEFAULT_DIMENSIONS;
    if (legacy)
      return send(res, 200, { embedding: embeddingFor(inputs[0] ?? '', dims) });
    return send(res, 200, {
      model: body.model,
      embeddings: inputs.map((s) => embeddingFor(s, dims)),
      total_duration: 14143917,
      load_duration: 1019500,
      prompt_eval_count: tokensForText(inputs.reduce((n, s) => n + s.length, 0)),
    });
  }

  if (body.messages !== undefined && !Array.isArray(body.messages))
    return send(res, 400, { error: `json: cannot unmarshal ${typeof body.messages} into Go struct field ChatRequest.messages of type []api.Message` });
  const messages = body.messages ?? [];
  for (const m of messages) {
    if (!isObject(m) || !['system', 'user', 'assistant', 'tool'].includes(m.role))
      return send(res, 400, { error: `invalid role: ${m?.role}` });
    if (m.content !== undefined && typeof m.content !== 'string')
      return send(res, 400, { error: 'json: cannot unmarshal array into Go struct field Message.messages.content of type string' });
  }
  const streaming = body.stream !== false; // Ollama streams unless told not to
  const failure = failureFor(body.model);
  if (await applyFailure(failure, res, req, dialect, streaming))
    return;
  const createdAt = () => new Date().toISOString();
  if (messages.length === 0) {
    // An empty chat just loads the model.
    return send(res, 200, { model: body.model, created_at: createdAt(), message: { role: 'assistant', content: '' }, done_reason: 'load', done: true });
  }
  const outcome = decide(ollamaView({ ...body, messages }), 'ollama');
  if (!streaming) {
    return send(res, 200, {
      model: body.model, created_at: createdAt(), message: ollamaMessage(outcome.reply), done_reason: 'stop', done: true,
      ...ollamaStats(outcome.usage),
    });
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (obj) => writeSlowly(res, `${JSON.stringify(obj)}\n`);
  const { reply } = outcome;
  const messagesOut = reply.kind === 'text'
    ? splitDeltas(reply.text).map((content) => ({ role: 'assistant', content }))
    : [ollamaMessage(reply)];
  for (const message of messagesOut) {
    if (!(await line({ model: body.model, created_at: createdAt(), message, done: false })))
      return;
    if (failure?.kind === 'die') {
      destroy(res);
      return;
    }
  }
  await line({
    model: body.model, created_at: createdAt(), message: { role: 'assistant', content: '' }, done_reason: 'stop', done: true,
    ...ollamaStats(outcome.usage),
  });
  res.end();
}

// ---------------------------------------------------------------------------------------------
// Server

export function createMockServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err) => {
        process.stderr.write(`mock-providers: ${err.stack ?? err}\n`);
        send(res, 500, { error: { message: `mock-providers crashed: ${err.message}` } });
      });
    });
  });

  async function handle(req, res, rawBody) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    let body = rawBody;
    if (rawBody.length) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    } else {
      body = null;
    }

    if (path === '/_mock/requests') {
      if (req.method === 'GET')
        return send(res, 200, requests);
      if (req.method === 'DELETE') {
        requests.length = 0;
        return send(res, 200, { cleared: true });
      }
      return send(res, 405, { error: 'GET or DELETE' });
    }
    if (path === '/_mock/health')
      return send(res, 200, { ok: true });

    requests.push({ method: req.method, path, query, headers: req.headers, body });

    for (const [prefix, vendor] of Object.entries(OPENAI_PREFIXES)) {
      if (path === prefix || path.startsWith(`${prefix}/`))
        return handleOpenAi(req, res, vendor, path.slice(prefix.length), body, rawBody, query);
    }
    const azure = /^\/azure\/openai\/deployments\/([^/]+)(\/.*)$/.exec(path);
    if (azure)
      return handleOpenAi(req, res, 'azure', azure[2], body, rawBody, query, decodeURIComponent(azure[1]));
    if (path.startsWith('/azure/'))
      return send(res, 404, { error: { code: '404', message: 'Resource not found' } });
    if (path.startsWith('/anthropic/'))
      return handleAnthropic(req, res, path.slice('/anthropic'.length), body);
    if (path.startsWith('/gemini/'))
      return handleGemini(req, res, path.slice('/gemini'.length), body, query);
    if (path.startsWith('/ollama/'))
      return handleOllama(req, res, path.slice('/ollama'.length), body);
    send(res, 404, { error: `mock-providers: no provider at ${path}` });
  }

  const close = server.close.bind(server);
  server.close = (cb) => {
    for (const res of hanging)
      destroy(res);
    server.closeAllConnections?.();
    return close(cb);
  };
  return server;
}

function main() {
  const args = process.argv.slice(2);
  let port = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--port' && i + 1 < args.length)
      port = Number(args[++i]);
    else if (args[i].startsWith('--port='))
      port = Number(args[i].slice(7));
    else {
      process.stderr.write(`usage: mock-providers.mjs [--port N]\n`);
      process.exit(2);
    }
  }
  const server = createMockServer();
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`mock-providers ready http://127.0.0.1:${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main();
