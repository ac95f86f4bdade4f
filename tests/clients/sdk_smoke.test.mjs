// Checks that `npm ci` installed the official SDKs the end-to-end tests drive, and that
// each can reach a running gatehoused (GATEHOUSE_URL) through its own HTTP stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const base = process.env.GATEHOUSE_URL;

test('the OpenAI SDK talks to the gateway and reports its errors', { skip: !base }, async () => {
  const client = new OpenAI({ apiKey: 'gh-test', baseURL: `${base}/v1`, maxRetries: 0, timeout: 10000 });
  // An unknown consumer key: 401 in OpenAI's error shape, which the SDK parses.
  await assert.rejects(client.models.list(),
    (err) => err instanceof OpenAI.AuthenticationError && err.error?.type === 'authentication_error');
});

test('the Anthropic SDK talks to the gateway and reports its errors', { skip: !base }, async () => {
  const client = new Anthropic({ apiKey: 'gh-test', baseURL: base, maxRetries: 0, timeout: 10000 });
  await assert.rejects(
    client.messages.create({ model: 'fast', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof Anthropic.AuthenticationError && err.error?.error?.type === 'authentication_error');
});
