/** Slot maps: the redis-cli split arithmetic, validation errors, parsing, MOVED updates. */
import { describe, expect, it } from 'vitest';
import {
  evenTopology,
  parseAddress,
  parseTopologyText,
  SlotMap,
  topologyFrom,
  topologyToJson,
  TopologyError,
  type Address,
} from './topology.js';

const nodes = (n: number): Address[] => Array.from({ length: n }, (_, i) => ({ host: '10.0.0.1', port: 7000 + i }));
const ranges = (n: number) => evenTopology(nodes(n)).shards.map((s) => s.slots);

describe('evenTopology (redis-cli --cluster create arithmetic)', () => {
  it('splits over 3 nodes like Redis Cluster', () => {
    expect(ranges(3)).toEqual([[[0, 5460]], [[5461, 10922]], [[10923, 16383]]]);
  });
  it('splits over 1, 2, 5 and 7 nodes', () => {
    expect(ranges(1)).toEqual([[[0, 16383]]]);
    expect(ranges(2)).toEqual([[[0, 8191]], [[8192, 16383]]]);
    expect(ranges(5)).toEqual([[[0, 3276]], [[3277, 6553]], [[6554, 9829]], [[9830, 13106]], [[13107, 16383]]]);
    const seven = ranges(7).map((r) => r[0]!);
    expect(seven[0]).toEqual([0, 2340]);
    expect(seven[6]![1]).toBe(16383);
    for (let i = 1; i < 7; i++) expect(seven[i]![0]).toBe(seven[i - 1]![1] + 1);
  });
  it('refuses an empty node list', () => {
    expect(() => evenTopology([])).toThrow(TopologyError);
  });
});

describe('topology validation', () => {
  const a = '127.0.0.1:7001';
  const b = '127.0.0.1:7002';
  it('names a gap', () => {
    expect(() => topologyFrom({ shards: [{ primary: a, slots: [[0, 99]] }, { primary: b, slots: [[200, 16383]] }] })).toThrow(
      'slots 100-199 are not assigned to any shard',
    );
    expect(() => topologyFrom({ shards: [{ primary: a, slots: [[0, 16382]] }] })).toThrow('slots 16383 are not assigned to any shard');
  });
  it('names an overlap and the shards involved', () => {
    expect(() => topologyFrom({ shards: [{ primary: a, slots: [[0, 16383]] }, { primary: b, slots: ['10-20'] }] })).toThrow(
      'slots 10-20 are assigned twice: to shard 0 (127.0.0.1:7001) and shard 1 (127.0.0.1:7002)',
    );
  });
  it('names bad fields', () => {
    expect(() => topologyFrom({ shards: [{ primary: 'host', slots: [[0, 16383]] }] })).toThrow("shards.0.primary: invalid address 'host'");
    expect(() => topologyFrom({ shards: [{ primary: a, slots: [[10, 5]] }] })).toThrow('shards.0.slots.0');
    expect(() => topologyFrom({ shards: [{ primary: a, slots: [[0, 16384]] }] })).toThrow('shards.0.slots.0');
    expect(() => topologyFrom({ shards: [] })).toThrow('at least one shard');
    expect(() => topologyFrom({ shards: [{ primary: a, slots: [[0, 16383]], extra: 1 }] })).toThrow('shards.0');
  });
  it('accepts every range spelling, JSON and YAML', () => {
    const t = parseTopologyText(
      `shards:\n  - primary: {host: db-1, port: 6379}\n    replicas: ["db-1r:6379"]\n    slots: [0, "1-99", {start: 100, end: 8000}]\n  - primary: "[::1]:6380"\n    slots: [[8001, 16383]]\n`,
      'test.yaml',
    );
    expect(t.shards[0]!.slots).toEqual([[0, 0], [1, 99], [100, 8000]]);
    expect(t.shards[0]!.replicas).toEqual([{ host: 'db-1r', port: 6379 }]);
    expect(t.shards[1]!.primary).toEqual({ host: '::1', port: 6380 });
    const round = parseTopologyText(topologyToJson(t), 'json');
    expect(round).toEqual(t);
    expect(() => parseTopologyText('{"shards": [', 'x.json')).toThrow('x.json: not valid JSON/YAML');
  });
});

describe('addresses', () => {
  it('parses host:port, names and IPv6', () => {
    expect(parseAddress('redis-0.redis:6379')).toEqual({ host: 'redis-0.redis', port: 6379 });
    expect(parseAddress('[fe80::1]:7000')).toEqual({ host: 'fe80::1', port: 7000 });
    expect(() => parseAddress('a:0')).toThrow('port must be 1..65535');
    expect(() => parseAddress(':6379')).toThrow(TopologyError);
  });
});

describe('SlotMap', () => {
  it('maps slots to shards and finds ranges', () => {
    const m = new SlotMap(evenTopology(nodes(3)));
    expect(m.owner[0]).toBe(0);
    expect(m.owner[5461]).toBe(1);
    expect(m.owner[16383]).toBe(2);
    expect(m.rangeAround(7000)).toEqual([5461, 10922]);
  });
  it('moves one slot for a MOVED, adding an unknown node and dropping empty shards', () => {
    const m = new SlotMap(evenTopology(nodes(2)));
    const moved = m.withSlotMovedTo(100, { host: 'new', port: 1 });
    expect(moved.shards.map((s) => s.slots)).toEqual([[[0, 99], [101, 8191]], [[8192, 16383]], [[100, 100]]]);
    const single = new SlotMap(topologyFrom({ shards: [{ primary: 'a:1', slots: [[0, 0]] }, { primary: 'b:1', slots: [[1, 16383]] }] }));
    expect(single.withSlotMovedTo(0, { host: 'b', port: 1 }).shards).toHaveLength(1);
  });
});
