/**
 * The long randomized differential run: tens of thousands of seeded commands over a few keys of
 * mixed types, against redis-server 7.0 and a swarmkv node, once with Redis's default encoding
 * thresholds and once with them forced small (so every conversion boundary is crossed many times).
 * A failure names the seed and the first divergent command; replay with SWARMKV_DIFF_SEED=<seed>.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffPair } from '../support/diff.js';
import { streamOf } from './random-stream.js';
import { show } from '../support/raw-client.js';

const SEED = Number(process.env.SWARMKV_DIFF_SEED ?? 20261124);
const COMMANDS = Number(process.env.SWARMKV_DIFF_COMMANDS ?? 20000);
const BATCH = 500;

const SMALL_THRESHOLDS = [
  ['hash-max-listpack-entries', '4'],
  ['hash-max-listpack-value', '8'],
  ['set-max-intset-entries', '4'],
  ['zset-max-listpack-entries', '4'],
  ['zset-max-listpack-value', '8'],
  ['list-max-listpack-size', '4'],
];

describe('randomized differential run against redis-server', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  for (const [name, thresholds] of [['default thresholds', []], ['small thresholds', SMALL_THRESHOLDS]] as const) {
    for (const proto of [2, 3] as const) {
      it(`${COMMANDS} commands, ${name}, RESP${proto} (seed ${SEED})`, { timeout: 240_000 }, async () => {
        const c = await pair.connect(proto);
        await c.both('FLUSHALL');
        for (const [k, v] of thresholds) await c.both('CONFIG', 'SET', k, v);
        const seed = SEED + proto * 7 + thresholds.length;
        const steps = streamOf(seed, COMMANDS);
        for (let i = 0; i < steps.length; i += BATCH) {
          const d = await c.run(steps.slice(i, i + BATCH));
          if (d.length) {
            const first = d[0]!;
            const context = steps.slice(Math.max(0, i + first.index - 8), i + first.index + 1);
            expect.fail(
              `first divergence at command #${i + first.index} (seed ${seed}): ${JSON.stringify(first.cmd)}\n` +
                `  redis:   ${show(first.redis)}\n  swarmkv: ${show(first.node)}\n` +
                `  preceding commands: ${JSON.stringify(context)}`,
            );
          }
        }
        c.close();
      });
    }
  }
});
