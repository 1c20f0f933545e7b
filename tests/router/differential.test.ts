/**
 * Differential test: one seeded random command stream, sent pipelined through the router (in
 * front of 3 redis-servers) and to a single redis-server, must give identical reply bytes:
 * single-key commands of every type, same-slot multi-key commands (hash tags), splittable
 * commands whose keys span nodes (MGET, MSET, DEL, EXISTS, TOUCH, UNLINK), SELECT, errors
 * (WRONGTYPE, arity, syntax), and transactions (MULTI/EXEC/DISCARD, WATCH, errors -> EXECABORT).
 * Nondeterministic replies are avoided by construction (sets hold integers, so they are intsets
 * in sorted order; no RANDOMKEY/SPOP/SCAN). A failure names the seed and the first divergence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, show } from '../support/raw-client.js';
import { startRedis, type ServerHandle } from '../support/servers.js';
import { startRouterFixture, type RouterFixture } from './support.js';
import { makeStream } from './command-stream.js';

const SEED = Number(process.env.SWARMKV_ROUTER_DIFF_SEED ?? 4242);
const COMMANDS = Number(process.env.SWARMKV_ROUTER_DIFF_COMMANDS ?? 6000);
const BATCH = 300;

describe('differential: router over 3 redis-servers vs one redis-server', () => {
  let fx: RouterFixture;
  let oracle: ServerHandle;
  beforeAll(async () => {
    fx = await startRouterFixture(3, ['--pool-size', '2']); // several lanes per node: order must hold anyway
    oracle = await startRedis();
  });
  afterAll(async () => {
    await fx?.stop();
    await oracle?.stop();
  });

  for (const proto of [2, 3] as const) {
    it(`${COMMANDS} seeded commands, RESP${proto} (seed ${SEED + proto})`, { timeout: 120_000 }, async () => {
      const viaRouter = await RawClient.connect(fx.port);
      const viaRedis = await RawClient.connect(oracle.port);
      try {
        for (const c of [viaRouter, viaRedis]) {
          await c.call('HELLO', String(proto));
          for (const db of ['0', '1', '2']) {
            await c.call('SELECT', db);
            await c.call('FLUSHDB');
          }
          await c.call('SELECT', '0');
        }
        const stream = makeStream(SEED + proto, COMMANDS);
        for (let i = 0; i < stream.length; i += BATCH) {
          const batch = stream.slice(i, i + BATCH);
          const [a, b] = await Promise.all([viaRouter.pipeline(batch), viaRedis.pipeline(batch)]);
          for (let j = 0; j < batch.length; j++) {
            if (!a[j]!.equals(b[j]!)) {
              expect.fail(
                `divergence at command #${i + j} (seed ${SEED + proto}): ${JSON.stringify(batch[j])}\n` +
                  `  router: ${show(a[j])}\n  redis:  ${show(b[j])}\n` +
                  `  preceding: ${JSON.stringify(stream.slice(Math.max(0, i + j - 6), i + j))}`,
              );
            }
          }
        }
      } finally {
        viaRouter.close();
        viaRedis.close();
      }
    });
  }
});
