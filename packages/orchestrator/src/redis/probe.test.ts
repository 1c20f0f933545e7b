/** Reading the router's INFO: per-node state and slot ranges (slot lists contain commas). */
import { describe, expect, it } from 'vitest';
import { parseInfo, routerNodes } from './probe.js';

describe('router INFO', () => {
  it('parses the per-node lines of INFO router', () => {
    const info = parseInfo(
      '# Router\r\nconnected_clients:3\r\ninstantaneous_ops_per_sec:12\r\n' +
        'node0:addr=swarmkv-node-0:6379,state=up,slots=0-5460,latency_ms=0.120,avg_latency_ms=0.100,connections=2\r\n' +
        'node1:addr=swarmkv-node-1:6379,state=down,slots=5461-10000,10005,10010-10922,latency_ms=0.000,avg_latency_ms=0.000,connections=0,error=ECONNREFUSED\r\n',
    );
    expect(info.connected_clients).toBe('3');
    expect(routerNodes(info)).toEqual([
      { addr: 'swarmkv-node-0:6379', state: 'up', slots: [{ start: 0, end: 5460 }], latencyMs: 0.12 },
      {
        addr: 'swarmkv-node-1:6379',
        state: 'down',
        slots: [
          { start: 5461, end: 10000 },
          { start: 10005, end: 10005 },
          { start: 10010, end: 10922 },
        ],
        latencyMs: 0,
      },
    ]);
    expect(routerNodes(parseInfo('# Server\r\nredis_version:7.0.15\r\n'))).toEqual([]);
  });
});
