// End-to-end: the official OpenAI and Anthropic SDKs talk to a gatehoused whose providers
// are tests/mocks/mock-providers.mjs (one per provider type). Run by run-ai-e2e.sh, which
// exports GATEHOUSE_URL, GATEHOUSE_ADMIN_URL, GATEHOUSE_ADMIN_TOKEN, MOCK_URL and
// GATEHOUSE_TEST_KEY. Every answer is predictable (see tests/mocks/README.md), so the tests
// assert content, usage and headers, not just "no throw".
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { embeddingFor, tokensForText, wordCount } from '../mocks/mock-providers.mjs';

const base = process.env.GATEHOUSE_URL;
const mockUrl = process.env.MOCK_URL;
const key = process.env.GATEHOUSE_TEST_KEY;
const skip = !base || !mockUrl || !key ? 'needs run-ai-e2e.sh (GATEHOUSE_URL, MOCK_URL, GATEHOUSE_TEST_KEY)' : false;

const openai = new OpenAI({ apiKey: key ?? 'unset', baseURL: `${base}/v1`, maxRetries: 0, timeout: 20000 });
const anthropic = new Anthropic({ apiKey: key ?? 'unset', baseURL: base, maxRetries: 0, timeout: 20000 });

// Provider type → the name the mock answers with and the mock path a chat call lands on.
const PROVIDERS = [
  { type: 'openai', name: 'openai', chatPath: '/openai/v1/chat/completions' },
  { type: 'anthropic', name: 'anthropic', chatPath: '/anthropic/v1/messages' },
  { type: 'gemini', name: 'gemini', chatPath: '/gemini/v1beta/models/mock-model:generateContent' },
  { type: 'azure-openai', name: 'azure', chatPath: '/azure/openai/deployments/mock-model/chat/completions' },
  { type: 'ollama', name: 'ollama', chatPath: '/ollama/api/chat' },
  { type: 'mistral', name: 'mistral', chatPath: '/mistral/v1/chat/completions' },
  { type: 'deepseek', name: 'deepseek', chatPath: '/deepseek/v1/chat/completions' },
  { type: 'groq', name: 'groq', chatPath: '/groq/openai/v1/chat/completions' },
  { type: 'openrouter', name: 'openrouter', chatPath: '/openrouter/api/v1/chat/completions' },
  { type: 'together', name: 'together', chatPath: '/together/v1/chat/completions' },
  { type: 'xai', name: 'xai', chatPath: '/xai/v1/chat/completions' },
  { type: 'openai-compatible', name: 'compat', chatPath: '/compat/v1/chat/completions' },
];
const byType = Object.fromEntries(PROVIDERS.map((p) => [p.type, p]));

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a place',
      parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      description: 'Local time for a place',
      parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
    },
  },
];
const ANTHROPIC_TOOLS = TOOLS.map((t) => ({
  name: t.function.name, description: t.function.description, input_schema: t.function.parameters,
}));

async function mockRequests() {
  return (await fetch(`${mockUrl}/_mock/requests`)).json();
}
async function clearMock() {
  await fetch(`${mockUrl}/_mock/requests`, { method: 'DELETE' });
}

// Collects an OpenAI SDK chat stream: text, tool calls by index, finish reason, usage chunks.
async function collectOpenAiStream(stream) {
  const out = { text: '', deltas: 0, calls: [], finish: null, usage: null, usageChunks: 0 };
  for await (const chunk of stream) {
    if (chunk.usage) {
      out.usage = chunk.usage;
      out.usageChunks++;
    }
    for (const choice of chunk.choices ?? []) {
      if (choice.delta?.content) {
        out.text += choice.delta.content;
        out.deltas++;
      }
      for (const tc of choice.delta?.tool_calls ?? []) {
        out.calls[tc.index] ??= { id: '', name: '', args: '' };
        const call = out.calls[tc.index];
        if (tc.id)
          call.id = tc.id;
        if (tc.function?.name)
          call.name += tc.function.name;
        if (tc.function?.arguments)
          call.args += tc.function.arguments;
      }
      if (choice.finish_reason)
        out.finish = choice.finish_reason;
    }
  }
  return out;
}

const hello = (p, text) => `Hello from ${p.name}: ${text}`;

describe('OpenAI SDK against every provider type', { skip }, () => {
  for (const p of PROVIDERS) {
    const model = `m-${p.type}`;

    test(`${p.type}: non-stream text, usage and gateway headers`, async () => {
      await clearMock();
      const text = `Say hi to ${p.type}`;
      const { data, response } = await openai.chat.completions
        .create({ model, messages: [{ role: 'user', content: text }] })
        .withResponse();
      assert.equal(data.choices[0].message.content, hello(p, text));
      assert.equal(data.choices[0].finish_reason, 'stop');
      assert.equal(data.usage.prompt_tokens, tokensForText(text.length));
      assert.equal(data.usage.completion_tokens, wordCount(hello(p, text)));
      assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);
      assert.equal(response.headers.get('x-gatehouse-provider'), `p-${p.type}`);
      assert.equal(response.headers.get('x-gatehouse-model'), 'mock-model');
      assert.ok(response.headers.get('x-gatehouse-request-id'));
      const upstream = await mockRequests();
      assert.deepEqual(upstream.map((r) => r.path), [p.chatPath]);
    });

    test(`${p.type}: stream with include_usage`, async () => {
      const text = `Stream to ${p.type} please`;
      const stream = await openai.chat.completions.create({
        model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: text }],
      });
      const got = await collectOpenAiStream(stream);
      assert.equal(got.text, hello(p, text));
      assert.ok(got.deltas >= 3, `only ${got.deltas} deltas`);
      assert.equal(got.finish, 'stop');
      assert.equal(got.usageChunks, 1);
      assert.equal(got.usage.prompt_tokens, tokensForText(text.length));
      assert.equal(got.usage.completion_tokens, wordCount(hello(p, text)));
    });

    test(`${p.type}: tool call then tool result (non-stream)`, async () => {
      const question = { role: 'user', content: 'What is the weather in Paris?' };
      const first = await openai.chat.completions.create({ model, messages: [question], tools: TOOLS });
      const choice = first.choices[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      assert.equal(choice.message.tool_calls.length, 1);
      const call = choice.message.tool_calls[0];
      assert.equal(call.type, 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris' });
      assert.ok(call.id);

      const second = await openai.chat.completions.create({
        model, tools: TOOLS,
        messages: [question, choice.message, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 22 C' }],
      });
      assert.equal(second.choices[0].message.content, 'The tool said: Sunny, 22 C');
      assert.equal(second.choices[0].finish_reason, 'stop');
    });

    test(`${p.type}: tool call then tool result (stream)`, async () => {
      const question = { role: 'user', content: 'Weather in Paris, streamed?' };
      const got = await collectOpenAiStream(await openai.chat.completions.create({
        model, stream: true, messages: [question], tools: TOOLS,
      }));
      assert.equal(got.finish, 'tool_calls');
      assert.equal(got.calls.length, 1);
      assert.equal(got.calls[0].name, 'get_weather');
      assert.deepEqual(JSON.parse(got.calls[0].args), { location: 'Paris' });
      assert.ok(got.calls[0].id);

      const assistant = {
        role: 'assistant', content: null,
        tool_calls: [{ id: got.calls[0].id, type: 'function', function: { name: got.calls[0].name, arguments: got.calls[0].args } }],
      };
      const answer = await collectOpenAiStream(await openai.chat.completions.create({
        model, stream: true, tools: TOOLS,
        messages: [question, assistant, { role: 'tool', tool_call_id: got.calls[0].id, content: 'Cloudy' }],
      }));
      assert.equal(answer.text, 'The tool said: Cloudy');
    });

    test(`${p.type}: parallel tool calls and both results`, async () => {
      const question = { role: 'user', content: 'Weather and time in Paris, both please' };
      const first = await openai.chat.completions.create({ model, messages: [question], tools: TOOLS });
      const calls = first.choices[0].message.tool_calls;
      assert.deepEqual(calls.map((c) => c.function.name), ['get_weather', 'get_time']);
      for (const c of calls)
        assert.deepEqual(JSON.parse(c.function.arguments), { location: 'Paris' });
      assert.notEqual(calls[0].id, calls[1].id);
      const second = await openai.chat.completions.create({
        model, tools: TOOLS,
        messages: [question, first.choices[0].message,
                   { role: 'tool', tool_call_id: calls[0].id, content: 'Rain' },
                   { role: 'tool', tool_call_id: calls[1].id, content: 'Noon' }],
      });
      assert.equal(second.choices[0].message.content, 'The tool said: Rain | Noon');
    });

    test(`${p.type}: JSON mode`, async () => {
      const request = {
        model, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: 'Capital of France as JSON' }],
      };
      if (p.type === 'anthropic') {
        // Anthropic has no JSON object mode: the gateway must say so, naming the field.
        await assert.rejects(openai.chat.completions.create(request), (err) => {
          assert.ok(err instanceof OpenAI.BadRequestError, String(err));
          assert.match(err.message, /response_format/);
          return true;
        });
        return;
      }
      const res = await openai.chat.completions.create(request);
      assert.deepEqual(JSON.parse(res.choices[0].message.content), { answer: 'Capital of France as JSON' });
    });
  }

  for (const type of ['openai', 'anthropic', 'gemini']) {
    test(`${type}: cached prompt tokens reach the OpenAI usage`, async () => {
      const system = 'You answer briefly. Please cache this system prompt.';
      const text = 'Cached question';
      const res = await openai.chat.completions.create({
        model: `m-${type}`, messages: [{ role: 'system', content: system }, { role: 'user', content: text }],
      });
      assert.equal(res.usage.prompt_tokens_details?.cached_tokens, 8);
      assert.equal(res.usage.prompt_tokens, Math.max(tokensForText(system.length + text.length), 9));
      assert.equal(res.choices[0].message.content, hello(byType[type], text));
    });
  }

  for (const [model, name] of [['m-openai-think', 'openai'], ['m-gemini-think', 'gemini']]) {
    test(`${model}: reasoning tokens inside completion_tokens`, async () => {
      const text = 'Think about it';
      for (const stream of [false, true]) {
        let usage;
        if (stream) {
          usage = (await collectOpenAiStream(await openai.chat.completions.create({
            model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: text }],
          }))).usage;
        } else {
          usage = (await openai.chat.completions.create({ model, messages: [{ role: 'user', content: text }] })).usage;
        }
        assert.equal(usage.completion_tokens_details?.reasoning_tokens, 4, `stream=${stream}`);
        assert.equal(usage.completion_tokens, wordCount(`Hello from ${name}: ${text}`) + 4, `stream=${stream}`);
      }
    });
  }
});

describe('Anthropic SDK against providers of each dialect', { skip }, () => {
  for (const type of ['openai', 'gemini', 'anthropic', 'ollama']) {
    const p = byType[type];
    const model = `m-${type}`;

    test(`${type}: non-stream message`, async () => {
      const text = `Anthropic client to ${type}`;
      const msg = await anthropic.messages.create({ model, max_tokens: 256, messages: [{ role: 'user', content: text }] });
      assert.equal(msg.type, 'message');
      assert.equal(msg.role, 'assistant');
      assert.equal(msg.content.length, 1);
      assert.equal(msg.content[0].type, 'text');
      assert.equal(msg.content[0].text, hello(p, text));
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.usage.input_tokens, tokensForText(text.length));
      assert.equal(msg.usage.output_tokens, wordCount(hello(p, text)));
    });

    test(`${type}: streamed message`, async () => {
      const text = `Stream it from ${type}`;
      const stream = anthropic.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: text }] });
      let deltas = 0;
      stream.on('text', () => deltas++);
      const msg = await stream.finalMessage();
      assert.equal(msg.content[0].text, hello(p, text));
      assert.ok(deltas >= 3, `only ${deltas} text deltas`);
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.usage.input_tokens, tokensForText(text.length));
      assert.equal(msg.usage.output_tokens, wordCount(hello(p, text)));
    });

    test(`${type}: tool_use then tool_result`, async () => {
      const question = { role: 'user', content: 'What is the weather in Paris?' };
      const first = await anthropic.messages.create({ model, max_tokens: 256, tools: ANTHROPIC_TOOLS, messages: [question] });
      assert.equal(first.stop_reason, 'tool_use');
      const uses = first.content.filter((b) => b.type === 'tool_use');
      assert.equal(uses.length, 1);
      assert.equal(uses[0].name, 'get_weather');
      assert.deepEqual(uses[0].input, { location: 'Paris' });
      assert.ok(uses[0].id);

      // The same through the streaming helper (input_json_delta assembled by the SDK).
      const streamed = await anthropic.messages.stream({ model, max_tokens: 256, tools: ANTHROPIC_TOOLS, messages: [question] })
        .finalMessage();
      const streamedUse = streamed.content.find((b) => b.type === 'tool_use');
      assert.equal(streamed.stop_reason, 'tool_use');
      assert.deepEqual(streamedUse?.input, { location: 'Paris' });

      const second = await anthropic.messages.create({
        model, max_tokens: 256, tools: ANTHROPIC_TOOLS,
        messages: [question, { role: 'assistant', content: first.content },
                   { role: 'user', content: [{ type: 'tool_result', tool_use_id: uses[0].id, content: 'Snow' }] }],
      });
      assert.equal(second.content[0].text, 'The tool said: Snow');
      assert.equal(second.stop_reason, 'end_turn');
    });

    if (type !== 'ollama') {
      test(`${type}: cache_read_input_tokens`, async () => {
        const system = 'Short answers. Please cache this.';
        const text = 'A cached question';
        const msg = await anthropic.messages.create({
          model, max_tokens: 256, system, messages: [{ role: 'user', content: text }],
        });
        assert.equal(msg.usage.cache_read_input_tokens, 8);
        assert.equal(msg.usage.input_tokens, Math.max(tokensForText(system.length + text.length), 9) - 8);
      });
    }
  }
});

describe('Embeddings through the OpenAI SDK', { skip }, () => {
  const inputs = ['alpha', 'beta gamma delta'];
  for (const model of ['e-openai', 'e-gemini', 'e-ollama', 'e-azure']) {
    test(`${model}: vectors exactly as the provider computed them`, async () => {
      // The SDK asks for base64 by default and decodes it: the float32 bytes must survive.
      const res = await openai.embeddings.create({ model, input: inputs });
      assert.equal(res.data.length, 2);
      assert.deepEqual(res.data.map((d) => d.index), [0, 1]);
      assert.deepEqual(res.data.map((d) => Array.from(d.embedding)), inputs.map((t) => embeddingFor(t, 8)));
      if (model === 'e-gemini')
        assert.equal(typeof res.usage.prompt_tokens, 'number'); // Gemini reports none
      else
        assert.equal(res.usage.prompt_tokens, tokensForText(inputs.join('').length));

      // As JSON numbers the values are float32s (OpenAI prints them at float32 precision too):
      // read back as float32 they must be the same bits.
      const floats = await openai.embeddings.create({ model, input: 'alpha', encoding_format: 'float' });
      assert.deepEqual(floats.data[0].embedding.map(Math.fround), embeddingFor('alpha', 8));
    });
  }
  for (const model of ['e-openai', 'e-gemini', 'e-azure']) {
    test(`${model}: dimensions`, async () => {
      const res = await openai.embeddings.create({ model, input: 'alpha', dimensions: 4 });
      assert.deepEqual(Array.from(res.data[0].embedding), embeddingFor('alpha', 4));
    });
  }
});

describe('models, errors, fallback, broken streams', { skip }, () => {
  test('GET /v1/models lists the public model names', async () => {
    const ids = [];
    for await (const m of openai.models.list())
      ids.push(m.id);
    for (const name of [...PROVIDERS.map((p) => `m-${p.type}`), 'm-openai-think', 'flaky', 'limited', 'broken-stream',
                        'e-openai', 'e-gemini', 'e-ollama', 'e-azure'])
      assert.ok(ids.includes(name), `${name} missing from ${ids.join(', ')}`);
    assert.ok(!ids.includes('mock-model'), 'upstream model names are not public');
  });

  test('wrong key: 401 in each dialect', async () => {
    const badOpenAi = new OpenAI({ apiKey: 'gh-wrong', baseURL: `${base}/v1`, maxRetries: 0 });
    await assert.rejects(badOpenAi.chat.completions.create({ model: 'm-openai', messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.AuthenticationError, String(err));
        assert.equal(err.status, 401);
        assert.equal(typeof err.error?.type, 'string');
        assert.ok('code' in err.error);
        return true;
      });
    const badAnthropic = new Anthropic({ apiKey: 'gh-wrong', baseURL: base, maxRetries: 0 });
    await assert.rejects(badAnthropic.messages.create({ model: 'm-anthropic', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof Anthropic.AuthenticationError, String(err));
        assert.equal(err.error?.type, 'error');
        assert.equal(err.error?.error?.type, 'authentication_error');
        return true;
      });
  });

  test('unknown model: 404 in each dialect', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
      (err) => err instanceof OpenAI.NotFoundError && err.status === 404);
    await assert.rejects(anthropic.messages.create({ model: 'no-such-model', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
      (err) => err instanceof Anthropic.NotFoundError && err.error?.error?.type === 'not_found_error');
  });

  test('upstream 429 without fallbacks: the SDK sees a RateLimitError', async () => {
    await clearMock();
    await assert.rejects(openai.chat.completions.create({ model: 'limited', messages: [{ role: 'user', content: 'x' }] }),
      (err) => err instanceof OpenAI.RateLimitError && err.status === 429);
    const upstream = await mockRequests();
    assert.ok(upstream.length >= 1 && upstream.every((r) => r.body?.model === 'fail-429'));
  });

  test('a parameter the target cannot honour: 400 naming it', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'm-anthropic', n: 2, messages: [{ role: 'user', content: 'x' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.BadRequestError, String(err));
        assert.match(err.message, /\bn\b/);
        return true;
      });
  });

  test('fallback: flaky (503) is answered by the anthropic provider, non-stream and stream', async () => {
    await clearMock();
    const text = 'Are you there?';
    const { data, response } = await openai.chat.completions
      .create({ model: 'flaky', messages: [{ role: 'user', content: text }] })
      .withResponse();
    assert.equal(data.choices[0].message.content, `Hello from anthropic: ${text}`);
    assert.equal(response.headers.get('x-gatehouse-provider'), 'p-anthropic');
    const upstream = await mockRequests();
    assert.equal(upstream[0].path, '/openai/v1/chat/completions');
    assert.equal(upstream.at(-1).path, '/anthropic/v1/messages');

    const { data: stream, response: streamResponse } = await openai.chat.completions
      .create({ model: 'flaky', stream: true, messages: [{ role: 'user', content: text }] })
      .withResponse();
    assert.equal(streamResponse.headers.get('x-gatehouse-provider'), 'p-anthropic');
    assert.equal((await collectOpenAiStream(stream)).text, `Hello from anthropic: ${text}`);
  });

  test('broken upstream stream: the OpenAI SDK gets an error event, not a silent end', async () => {
    const stream = await openai.chat.completions.create({ model: 'broken-stream', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let text = '';
    await assert.rejects((async () => {
      for await (const chunk of stream)
        text += chunk.choices[0]?.delta?.content ?? '';
    })(), (err) => {
      assert.ok(err instanceof OpenAI.APIError, `expected an error event, got ${err}`);
      return true;
    });
    assert.ok('Hello from openai: x'.startsWith(text), `unexpected partial text ${text}`);
  });

  test('broken upstream stream: the Anthropic SDK gets an error event, not a silent end', async () => {
    const stream = await anthropic.messages.create({ model: 'broken-stream', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'x' }] });
    const seen = [];
    await assert.rejects((async () => {
      for await (const event of stream)
        seen.push(event.type);
    })(), (err) => {
      assert.ok(err instanceof Anthropic.APIError, `expected an error event, got ${err}`);
      return true;
    });
    assert.ok(!seen.includes('message_stop'));
  });

  test('each answer says what it cost (x-gatehouse-cost-usd, from the configured prices)', async () => {
    const { data: res, response } = await openai.chat.completions
      .create({ model: 'm-openai', messages: [{ role: 'user', content: 'What does this cost?' }] })
      .withResponse();
    const expectedCost = (res.usage.prompt_tokens * 2.5 + res.usage.completion_tokens * 10) / 1e6; // e2e config prices
    const header = Number(response.headers.get('x-gatehouse-cost-usd'));
    assert.ok(Math.abs(header - expectedCost) < 1e-8, `cost ${header}, expected ${expectedCost}`);
  });

  // The request log (SPEC §6, docs/logging.md): the call's row in GET /logs, written off the
  // workers' path within a moment, so polled a bounded number of times.
  test('the request log has tokens and cost of an AI call', { skip: !process.env.GATEHOUSE_ADMIN_TOKEN }, async () => {
    const text = 'Log me with a rather distinctive sentence';
    const res = await openai.chat.completions.create({ model: 'm-openai', messages: [{ role: 'user', content: text }] });
    const tokensIn = res.usage.prompt_tokens;
    const tokensOut = res.usage.completion_tokens;
    const expectedCost = (tokensIn * 2.5 + tokensOut * 10) / 1e6; // prices in the e2e config
    let row;
    for (let i = 0; i < 40 && !row; i++) {
      const reply = await fetch(`${process.env.GATEHOUSE_ADMIN_URL}/logs?limit=20`, {
        headers: { authorization: `Bearer ${process.env.GATEHOUSE_ADMIN_TOKEN}` },
      });
      assert.equal(reply.status, 200, 'GET /logs on the admin listener');
      const logs = await reply.json();
      const rows = logs.logs;
      assert.ok(Array.isArray(rows), 'GET /logs answers {logs: [...]}');
      row = rows.find((r) => r.provider === 'p-openai' && r.tokens_in === tokensIn && r.tokens_out === tokensOut);
      if (!row)
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(row, 'no log row with the call\'s tokens');
    assert.ok(Math.abs(row.cost_usd - expectedCost) < 1e-9, `cost ${row.cost_usd}, expected ${expectedCost}`);
  });
});
