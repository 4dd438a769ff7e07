// `auto` as the learned router, end to end: the official openai client, the local runtime with
// simulated providers, the shipped weights. An easy and a hard prompt reach different models, and
// the decision is in the response headers and in the call's cost record.
import { describe, expect, it } from 'vitest';
import { costRecordsFor } from '../support/cost-records.ts';
import { useTestStack } from '../support/local-stack-fixture.ts';

const { stack, client } = useTestStack();

const easy = 'Hi there!';
const hard = [
  'A warehouse receives 1,240 boxes on Monday and 15% more on Tuesday. Each box holds 24 cans, and 3.5% of',
  'the cans arrive dented and are discounted by 40%. Regular cans sell for $1.85 each. On Wednesday the',
  'warehouse ships two thirds of everything it received to four stores in the ratio 3:2:2:1, and the rest is',
  'split evenly between a food bank and storage. The largest store sells 92% of its cans in a week, the others',
  'sell 75%, and unsold cans are returned at a 10% restocking fee. Storage costs $0.02 per can per day for 12',
  'days. Work out, step by step, the total revenue of the four stores, the total restocking fees, the storage',
  'cost, and the net revenue of the whole operation, and explain every assumption you make about rounding.',
].join(' ');

async function ask(content: string) {
  const { data, response } = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content }] }).withResponse();
  return { data, headers: response.headers };
}

describe('auto: the learned router', () => {
  it('sends an easy prompt to the cheap candidate and a hard one to the strong candidate', async () => {
    const cheap = await ask(easy);
    const strong = await ask(hard);

    expect(cheap.headers.get('x-router-strategy')).toBe('learned');
    expect(strong.headers.get('x-router-strategy')).toBe('learned');
    expect(cheap.headers.get('x-router-decision')).toMatch(/^learned; pick=cheap; score=[\d.]+; threshold=[\d.]+; share=0\.300; /);
    expect(strong.headers.get('x-router-decision')).toMatch(/^learned; pick=strong; /);
    expect(cheap.data.model).not.toBe(strong.data.model);
    // The decision names the pair; each prompt went to its side of it.
    const pair = /strong=([^;]+); cheap=([^;]+);/.exec(strong.headers.get('x-router-decision') ?? '');
    expect(strong.data.model).toBe(pair?.[1]);
    expect(cheap.data.model).toBe(pair?.[2]);
  });

  it('shows the detected task type, or the one the caller gave', async () => {
    const detected = await ask('Translate into French: the weather is nice today.');
    const { response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: easy }] }, { headers: { 'x-router-task': 'code' } })
      .withResponse();

    expect(detected.headers.get('x-router-task')).toBe('translate');
    expect(response.headers.get('x-router-task')).toBe('code');
  });

  it('writes the decision into the cost record of the call', async () => {
    const { data, headers } = await ask(hard);
    const requestId = headers.get('x-request-id');

    const records = (await costRecordsFor(stack, 'local')).filter((r) => r['requestId'] === requestId);

    expect(records).toHaveLength(1);
    expect(records[0]?.['modelId']).toBe(data.model);
    expect(records[0]?.['strategy']).toBe('learned');
    expect(records[0]?.['decision']).toBe(headers.get('x-router-decision'));
  });

  it('keeps other routes on their own strategy, with no learned decision', async () => {
    const { response } = await client.chat.completions.create({ model: 'cheap', messages: [{ role: 'user', content: hard }] }).withResponse();

    expect(response.headers.get('x-router-strategy')).toBe('cost-first');
    expect(response.headers.get('x-router-decision')).toBeNull();
  });
});
