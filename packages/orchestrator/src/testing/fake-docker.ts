/**
 * An in-process fake of the Docker Engine API (the part swarmkv uses), served over a unix socket
 * so that dockerode talks to it exactly as to a real engine. Several FakeEngines can share one
 * FakeSwarm to act as a multi-host cluster. It keeps state (swarm, nodes, networks, secrets,
 * services, images), records every mutating call, refuses paths that are not prefixed with the
 * API version it advertises (as an old engine refuses newer versions), and can be told to fail a
 * call. Unit tests only: the end-to-end tests use the real engine.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const id = () => randomBytes(12).toString('hex');

type Labels = Record<string, string>;

export interface FakeService {
  ID: string;
  Version: { Index: number };
  Spec: { Name: string; Labels?: Labels; Mode?: { Replicated?: { Replicas?: number }; Global?: object }; TaskTemplate?: { Placement?: { Constraints?: string[] }; ContainerSpec?: { Labels?: Labels } } } & Record<string, unknown>;
}

export class FakeSwarm {
  readonly ID = id();
  version = 1;
  spec: { Labels?: Labels } & Record<string, unknown>;
  readonly tokens = { Worker: `SWMTKN-worker-${id()}`, Manager: `SWMTKN-manager-${id()}` };
  readonly nodes = new Map<string, { ID: string; Version: { Index: number }; Spec: { Labels?: Labels; Role: string; Availability: string }; Description: { Hostname: string }; Status: { State: string } }>();
  readonly services = new Map<string, FakeService>();
  readonly networks = new Map<string, Record<string, unknown> & { Id: string; Name: string; Labels?: Labels }>();
  readonly secrets = new Map<string, { ID: string; Spec: { Name: string; Labels?: Labels; Data?: string } }>();

  constructor(labels: Labels = {}) {
    this.spec = { Name: 'default', Labels: labels };
  }

  addNode(hostname: string, role: 'manager' | 'worker'): string {
    const nid = id();
    this.nodes.set(nid, { ID: nid, Version: { Index: 1 }, Spec: { Labels: {}, Role: role, Availability: 'active' }, Description: { Hostname: hostname }, Status: { State: 'ready' } });
    return nid;
  }

  /** Nodes a service's tasks may run on, by its placement constraints ("node.labels.k == v"). */
  eligible(s: FakeService): string[] {
    const cons = s.Spec.TaskTemplate?.Placement?.Constraints ?? [];
    return [...this.nodes.values()]
      .filter((n) =>
        cons.every((c) => {
          const m = /^node\.labels\.(\S+)\s*==\s*(\S+)$/.exec(c);
          return !m || n.Spec.Labels?.[m[1]!] === m[2];
        }),
      )
      .map((n) => n.ID);
  }

  tasks(): { ID: string; ServiceID: string; NodeID: string; DesiredState: string; Status: { State: string }; Spec: unknown }[] {
    const out = [];
    for (const s of this.services.values()) {
      const nodes = this.eligible(s);
      const onNodes = s.Spec.Mode?.Global ? nodes : nodes.slice(0, s.Spec.Mode?.Replicated?.Replicas ?? 1);
      for (const n of onNodes) out.push({ ID: `${s.ID}-${n}`, ServiceID: s.ID, NodeID: n, DesiredState: 'running', Status: { State: 'running' }, Spec: s.Spec.TaskTemplate });
    }
    return out;
  }
}

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export class FakeEngine {
  readonly socket: string;
  readonly calls: Call[] = [];
  /** Requests refused for their API version (none expected). */
  rejected = 0;
  apiVersion = '1.41';
  swarm: FakeSwarm | undefined;
  nodeId = '';
  readonly images = new Map<string, { Id: string; Config: { Labels: Labels } }>();
  readonly localNetworks = [{ Id: id(), Name: 'bridge', Driver: 'bridge', Scope: 'local', Labels: {}, IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } }];
  /** Standalone containers (not swarm tasks), e.g. one holding a port. */
  readonly containers: { Id: string; Names: string[]; Labels: Labels; Ports: { PublicPort?: number }[]; State: string }[] = [];
  /** Fail the next call whose "METHOD /path" matches, once. */
  failNext: { match: RegExp; status: number; message: string } | undefined;
  private server: Server | undefined;

  private port = 0;

  /**
   * `tcp`: listen on 127.0.0.1:<free port> instead of a unix socket; `tls`: HTTPS that demands a
   * client certificate signed by `ca` (dockerd --tlsverify).
   */
  constructor(
    readonly hostname = 'fake',
    private readonly opts: { tcp?: boolean; tls?: { ca: string; cert: string; key: string } } = {},
  ) {
    this.socket = join(mkdtempSync(join(tmpdir(), 'fake-docker-')), 'docker.sock');
  }

  get endpoint(): string {
    return this.opts.tcp || this.opts.tls ? `tcp://127.0.0.1:${this.port}` : `unix://${this.socket}`;
  }

  /** Mutating calls as "METHOD /path" without the version prefix (what tests assert on). */
  mutations(): string[] {
    return this.calls.filter((c) => c.method !== 'GET' && c.method !== 'HEAD').map((c) => `${c.method} ${c.path}`);
  }

  start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const t = this.opts.tls;
    this.server = t ? createTlsServer({ ca: t.ca, cert: t.cert, key: t.key, requestCert: true, rejectUnauthorized: true }, handler) : createServer(handler);
    return new Promise((r) => {
      if (this.opts.tcp || t) {
        this.server!.listen(0, '127.0.0.1', () => {
          this.port = (this.server!.address() as AddressInfo).port;
          r();
        });
      } else this.server!.listen(this.socket, () => r());
    });
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    let path = url.pathname;
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const vm = /^\/v(\d+\.\d+)(\/.*)$/.exec(path);
    if (vm) {
      if (vm[1] !== this.apiVersion) this.rejected++;
      if (vm[1] !== this.apiVersion) return send(400, { message: `client version ${vm[1]} is too new. Maximum supported API version is ${this.apiVersion}` });
      path = vm[2]!;
    } else if (path !== '/version' && path !== '/_ping') {
      this.rejected++;
      return send(400, { message: 'fake engine: unversioned path (dockerode must use the negotiated version)' });
    }
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    let body: unknown = raw;
    if (isJson && raw.length) body = JSON.parse(raw.toString());
    const call = { method: req.method ?? 'GET', path, query: url.searchParams, body };
    this.calls.push(call);
    if (this.failNext && this.failNext.match.test(`${call.method} ${path}`)) {
      const f = this.failNext;
      this.failNext = undefined;
      return send(f.status, { message: f.message });
    }
    try {
      const r = this.route(call, raw);
      if (r.stream !== undefined) {
        res.writeHead(r.status, { 'Content-Type': r.contentType ?? 'application/json' });
        return void res.end(r.stream);
      }
      send(r.status, r.body);
    } catch (e) {
      send(500, { message: (e as Error).message });
    }
  }

  private requireManager(): FakeSwarm {
    const node = this.swarm?.nodes.get(this.nodeId);
    if (!this.swarm || !node) throw Object.assign(new Error('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.'), { status: 503 });
    if (node.Spec.Role !== 'manager') throw new Error('This node is not a swarm manager. Worker nodes can\'t be used to view or modify cluster state.');
    return this.swarm;
  }

  private route(c: Call, raw: Buffer): { status: number; body?: unknown; stream?: Buffer | string; contentType?: string } {
    const b = (c.body ?? {}) as Record<string, any>;
    const filters = JSON.parse(c.query.get('filters') ?? '{}') as Record<string, string[] | Record<string, boolean>>;
    const list = (k: string): string[] => {
      const f = filters[k];
      return Array.isArray(f) ? f : f ? Object.keys(f) : [];
    };
    const labelOk = (labels: Labels | undefined) =>
      list('label').every((l) => {
        const [k, v] = l.split('=');
        return v === undefined ? labels?.[k!] !== undefined : labels?.[k!] === v;
      });
    const nameOk = (name: string) => list('name').length === 0 || list('name').some((n) => name.includes(n));
    const m = (re: RegExp) => re.exec(`${c.method} ${c.path}`);
    let x: RegExpExecArray | null;

    if (m(/^GET \/version$/)) return { status: 200, body: { Version: '20.10.24-fake', ApiVersion: this.apiVersion, MinAPIVersion: '1.12' } };
    if (m(/^GET \/info$/)) {
      const node = this.swarm?.nodes.get(this.nodeId);
      return {
        status: 200,
        body: {
          Swarm: this.swarm && node
            ? { LocalNodeState: 'active', NodeID: this.nodeId, ControlAvailable: node.Spec.Role === 'manager', ...(node.Spec.Role === 'manager' ? { Cluster: { ID: this.swarm.ID } } : {}) }
            : { LocalNodeState: 'inactive', NodeID: '', ControlAvailable: false },
        },
      };
    }
    if (m(/^POST \/swarm\/init$/)) {
      if (this.swarm) return { status: 406, body: { message: 'This node is already part of a swarm.' } };
      this.swarm = new FakeSwarm((b.Spec?.Labels as Labels) ?? {});
      this.nodeId = this.swarm.addNode(this.hostname, 'manager');
      return { status: 200, body: this.nodeId };
    }
    if (m(/^POST \/swarm\/join$/)) throw new Error('fake engine: join through FakeEngine.joinVia');
    if (m(/^POST \/swarm\/leave$/)) {
      if (!this.swarm) return { status: 503, body: { message: 'This node is not part of a swarm' } };
      this.swarm.nodes.delete(this.nodeId);
      this.swarm = undefined;
      this.nodeId = '';
      return { status: 200 };
    }
    if (m(/^GET \/swarm$/)) {
      const s = this.requireManager();
      return { status: 200, body: { ID: s.ID, Version: { Index: s.version }, Spec: s.spec, JoinTokens: s.tokens } };
    }
    if (m(/^POST \/swarm\/update$/)) {
      const s = this.requireManager();
      if (Number(c.query.get('version')) !== s.version) return { status: 500, body: { message: 'update out of sequence' } };
      s.spec = b as FakeSwarm['spec'];
      s.version++;
      return { status: 200 };
    }
    if (m(/^GET \/nodes$/)) return { status: 200, body: [...this.requireManager().nodes.values()] };
    if ((x = m(/^GET \/nodes\/([^/]+)$/))) {
      const n = this.requireManager().nodes.get(x[1]!);
      return n ? { status: 200, body: n } : { status: 404, body: { message: 'node not found' } };
    }
    if ((x = m(/^POST \/nodes\/([^/]+)\/update$/))) {
      const n = this.requireManager().nodes.get(x[1]!)!;
      if (Number(c.query.get('version')) !== n.Version.Index) return { status: 500, body: { message: 'update out of sequence' } };
      n.Spec = b as typeof n.Spec;
      n.Version.Index++;
      return { status: 200 };
    }
    if (m(/^GET \/networks$/)) {
      const all = [...this.localNetworks, ...(this.swarm ? this.swarm.networks.values() : [])] as { Name: string; Labels?: Labels }[];
      return { status: 200, body: all.filter((n) => labelOk(n.Labels) && nameOk(n.Name)) };
    }
    if (m(/^POST \/networks\/create$/)) {
      const s = this.requireManager();
      const nid = id();
      s.networks.set(nid, { Id: nid, Name: b.Name, Driver: b.Driver, Scope: 'swarm', Attachable: b.Attachable, Labels: b.Labels, IPAM: b.IPAM });
      return { status: 201, body: { Id: nid } };
    }
    if ((x = m(/^DELETE \/networks\/([^/]+)$/))) {
      const s = this.requireManager();
      if (!s.networks.delete(x[1]!)) return { status: 404, body: { message: 'network not found' } };
      return { status: 204 };
    }
    if (m(/^GET \/secrets$/)) return { status: 200, body: [...this.requireManager().secrets.values()].filter((s) => labelOk(s.Spec.Labels)) };
    if (m(/^POST \/secrets\/create$/)) {
      const s = this.requireManager();
      const sid = id();
      s.secrets.set(sid, { ID: sid, Spec: { Name: b.Name, Labels: b.Labels, Data: b.Data } });
      return { status: 201, body: { ID: sid } };
    }
    if ((x = m(/^DELETE \/secrets\/([^/]+)$/))) {
      const s = this.requireManager();
      const inUse = [...s.services.values()].some((sv) => JSON.stringify(sv.Spec).includes(x![1]!));
      if (inUse) return { status: 400, body: { message: 'secret is in use' } };
      return s.secrets.delete(x[1]!) ? { status: 204 } : { status: 404, body: { message: 'secret not found' } };
    }
    if (m(/^GET \/services$/)) return { status: 200, body: [...this.requireManager().services.values()].filter((s) => labelOk(s.Spec.Labels) && nameOk(s.Spec.Name)) };
    if (m(/^POST \/services\/create$/)) {
      const s = this.requireManager();
      if ([...s.services.values()].some((x2) => x2.Spec.Name === b.Name)) return { status: 409, body: { message: `service ${b.Name} already exists` } };
      const sid = id();
      s.services.set(sid, { ID: sid, Version: { Index: 1 }, Spec: b as FakeService['Spec'] });
      return { status: 201, body: { ID: sid } };
    }
    if ((x = m(/^POST \/services\/([^/]+)\/update$/))) {
      const sv = this.requireManager().services.get(x[1]!);
      if (!sv) return { status: 404, body: { message: 'service not found' } };
      if (Number(c.query.get('version')) !== sv.Version.Index) return { status: 500, body: { message: 'update out of sequence' } };
      sv.Spec = b as FakeService['Spec'];
      sv.Version.Index++;
      return { status: 200, body: {} };
    }
    if ((x = m(/^DELETE \/services\/([^/]+)$/))) {
      return this.requireManager().services.delete(x[1]!) ? { status: 200 } : { status: 404, body: { message: 'service not found' } };
    }
    if (m(/^GET \/tasks$/)) {
      const s = this.requireManager();
      const svc = list('service');
      return { status: 200, body: s.tasks().filter((t) => svc.length === 0 || svc.includes(t.ServiceID)) };
    }
    if (m(/^GET \/containers\/json$/)) {
      const tasks = this.swarm ? this.swarm.tasks().filter((t) => t.NodeID === this.nodeId) : [];
      const fromTasks = tasks.map((t) => {
        const sv = this.swarm!.services.get(t.ServiceID)!;
        const labels = { ...((sv.Spec.TaskTemplate as { ContainerSpec?: { Labels?: Labels } }).ContainerSpec?.Labels ?? {}), 'com.docker.swarm.task.id': t.ID };
        return { Id: t.ID, Names: [`/${sv.Spec.Name}.1`], Labels: labels, Ports: [], State: 'running' };
      });
      return { status: 200, body: [...fromTasks, ...this.containers].filter((ct) => labelOk(ct.Labels)) };
    }
    if ((x = m(/^GET \/images\/(.+)\/json$/))) {
      const img = this.images.get(decodeURIComponent(x[1]!));
      return img ? { status: 200, body: img } : { status: 404, body: { message: `No such image: ${x[1]}` } };
    }
    if ((x = m(/^GET \/images\/(.+)\/get$/))) {
      const ref = decodeURIComponent(x[1]!);
      const img = this.images.get(ref);
      if (!img) return { status: 404, body: { message: `No such image: ${ref}` } };
      return { status: 200, stream: JSON.stringify({ ref, img }), contentType: 'application/x-tar' };
    }
    if (m(/^POST \/images\/load$/)) {
      const { ref, img } = JSON.parse(raw.toString()) as { ref: string; img: { Id: string; Config: { Labels: Labels } } };
      this.images.set(ref, img);
      return { status: 200, stream: `{"stream":"Loaded image: ${ref}\\n"}\n` };
    }
    if (m(/^POST \/build$/)) {
      const t = c.query.get('t')!;
      const labels = JSON.parse(c.query.get('labels') ?? '{}') as Labels;
      const dockerfile = raw.includes(Buffer.from('FROM scratch')) || raw.includes(Buffer.from('FROM '));
      if (!dockerfile) return { status: 200, stream: '{"error":"no Dockerfile in the context"}\n' };
      this.images.set(t, { Id: `sha256:${id()}`, Config: { Labels: labels } });
      this.lastBuildContextSize = raw.length;
      return { status: 200, stream: `{"stream":"Successfully built\\n"}\n{"stream":"Successfully tagged ${t}\\n"}\n` };
    }
    if (m(/^POST \/images\/prune$/)) return { status: 200, body: { ImagesDeleted: null, SpaceReclaimed: 0 } };
    if (m(/^POST \/images\/prune$/)) return { status: 200, body: { ImagesDeleted: null, SpaceReclaimed: 0 } };
    if ((x = m(/^DELETE \/images\/(.+)$/))) {
      return this.images.delete(decodeURIComponent(x[1]!)) ? { status: 200, body: [] } : { status: 404, body: { message: 'No such image' } };
    }
    return { status: 404, body: { message: `fake engine: no route for ${c.method} ${c.path}` } };
  }

  lastBuildContextSize = 0;

  /** What `docker swarm join` does on this engine, given the manager engine it reaches. */
  joinVia(manager: FakeEngine, token: string): void {
    const s = manager.swarm!;
    const role = token === s.tokens.Manager ? 'manager' : token === s.tokens.Worker ? 'worker' : undefined;
    if (!role) throw new Error('invalid join token');
    this.swarm = s;
    this.nodeId = s.addNode(this.hostname, role);
  }
}

/** Wires POST /swarm/join of the engines to each other (the fake has no network between them). */
export function linkEngines(engines: FakeEngine[]): void {
  for (const e of engines) {
    const routeFn = (e as any).route.bind(e);
    (e as any).route = (c: Call, raw: Buffer) => {
      if (c.method === 'POST' && c.path === '/swarm/join') {
        const b = c.body as { RemoteAddrs: string[]; JoinToken: string };
        const manager = engines.find((o) => o.swarm && [...o.swarm.nodes.values()].some((n) => n.Spec.Role === 'manager') && o.swarm.nodes.get(o.nodeId)?.Spec.Role === 'manager');
        if (!manager) return { status: 500, body: { message: `could not reach ${b.RemoteAddrs.join(',')}` } };
        e.joinVia(manager, b.JoinToken);
        return { status: 200 };
      }
      return routeFn(c, raw);
    };
  }
}
