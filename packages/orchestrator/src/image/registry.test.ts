/** Image references as the registry path takes them apart. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { imageRef } from './build.js';
import { registryHost, splitRef } from './registry.js';

describe('registry references', () => {
  it('splits repository and tag; the port colon is not a tag', () => {
    expect(splitRef('10.250.0.1:5000/swarmkv:latest')).toEqual({ repo: '10.250.0.1:5000/swarmkv', tag: 'latest' });
    expect(splitRef('10.250.0.1:5000/team/swarmkv')).toEqual({ repo: '10.250.0.1:5000/team/swarmkv', tag: 'latest' });
    expect(splitRef('swarmkv:v2')).toEqual({ repo: 'swarmkv', tag: 'v2' });
  });

  it('the services run the registry name; certs.d is keyed by host:port', () => {
    const cfg = parseConfig({ image: { registry: '10.250.0.1:5000/' } });
    expect(imageRef(cfg)).toBe('10.250.0.1:5000/swarmkv:latest');
    expect(registryHost(cfg)).toBe('10.250.0.1:5000');
    expect(registryHost(parseConfig({ image: { registry: 'https://reg.example:443/team' } }))).toBe('reg.example:443');
  });
});
