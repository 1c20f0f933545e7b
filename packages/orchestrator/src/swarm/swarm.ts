/**
 * Brings the hosts into one swarm: init on the first manager (advertising its configured address)
 * or reuse the swarm it is already in, then join every other host through its own engine with the
 * manager or worker token, then label each swarm node from the cluster file. A swarm swarmkv did
 * not create is refused unless the user says `--adopt` (swarmkv would otherwise schedule onto
 * someone else's cluster); swarms are marked with labels in their spec to tell them apart.
 */
import type Docker from 'dockerode';
import type { Engine } from '../engine/connect.js';
import { messageOf, SwarmkvError } from '../errors.js';
import { NODE_LABEL_HOST, NODE_LABEL_ROUTER, SWARM_LABEL_ADOPTED, SWARM_LABEL_MANAGED } from './names.js';

export const SWARM_PORT = 2377;

export interface SwarmInfo {
  state: string;
  nodeId: string;
  clusterId?: string;
  controlAvailable: boolean;
}

export interface SwarmResult {
  readonly manager: Engine;
  readonly swarmId: string;
  readonly managed: boolean;
  /** What changed: "swarm initialised on h1", "h2 joined as worker", "labels of h1". */
  readonly changes: string[];
  /** True when this run made the swarm (a failure later leaves it again). */
  readonly initialised: boolean;
}

export async function swarmInfo(docker: Docker): Promise<SwarmInfo> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; NodeID?: string; Cluster?: { ID?: string }; ControlAvailable?: boolean } };
  const s = info.Swarm ?? {};
  return {
    state: s.LocalNodeState ?? 'inactive',
    nodeId: s.NodeID ?? '',
    ...(s.Cluster?.ID ? { clusterId: s.Cluster.ID } : {}),
    controlAvailable: s.ControlAvailable ?? false,
  };
}

export function firstManager(engines: readonly Engine[]): Engine {
  return engines.find((e) => e.host.role === 'manager')!;
}

export async function ensureSwarm(engines: readonly Engine[], opts: { adopt: boolean }): Promise<SwarmResult> {
  const changes: string[] = [];
  const manager = firstManager(engines);
  let info = await swarmInfo(manager.docker);
  let initialised = false;
  if (info.state === 'inactive') {
    try {
      await manager.docker.swarmInit({
        ListenAddr: `0.0.0.0:${SWARM_PORT}`,
        AdvertiseAddr: `${manager.host.advertise}:${SWARM_PORT}`,
        Spec: { Labels: { [SWARM_LABEL_MANAGED]: 'true' } },
      });
    } catch (e) {
      throw new SwarmkvError('SWARM_STATE', `swarm init on host ${manager.host.name} failed: ${messageOf(e)}`, `check that ${manager.host.advertise} is an address of that host and port ${SWARM_PORT} is free`);
    }
    initialised = true;
    changes.push(`swarm initialised on ${manager.host.name} (advertise ${manager.host.advertise})`);
    info = await swarmInfo(manager.docker);
  } else if (info.state !== 'active') {
    throw new SwarmkvError('SWARM_STATE', `the engine of host ${manager.host.name} is in swarm state "${info.state}"`, 'wait for it to settle, or leave that swarm (`docker swarm leave --force`) and run `swarmkv up` again');
  } else if (!info.controlAvailable) {
    throw new SwarmkvError('SWARM_STATE', `host ${manager.host.name} is a worker of an existing swarm, but the cluster file makes it the first manager`, 'run swarmkv against that swarm\'s manager, or leave the swarm on this host first');
  }

  const joined: Engine[] = [];
  try {
    return await joinAndLabel(engines, manager, opts, changes, initialised, joined);
  } catch (e) {
    // A swarm this run created is not left half-made: the hosts that joined it leave, then the manager.
    if (initialised) {
      for (const x of [...joined.reverse(), manager]) await x.docker.swarmLeave({ force: true }).catch(() => undefined);
    }
    throw e;
  }
}

async function joinAndLabel(
  engines: readonly Engine[],
  manager: Engine,
  opts: { adopt: boolean },
  changes: string[],
  initialised: boolean,
  joined: Engine[],
): Promise<SwarmResult> {
  const swarm = (await manager.docker.swarmInspect()) as {
    ID: string;
    Version: { Index: number };
    Spec: Record<string, unknown> & { Labels?: Record<string, string> };
    JoinTokens: { Worker: string; Manager: string };
  };
  const labels = swarm.Spec.Labels ?? {};
  const managed = labels[SWARM_LABEL_MANAGED] === 'true';
  if (!managed && labels[SWARM_LABEL_ADOPTED] !== 'true') {
    if (!opts.adopt) {
      throw new SwarmkvError(
        'SWARM_FOREIGN',
        `host ${manager.host.name} is already a manager of swarm ${swarm.ID}, which swarmkv did not create`,
        'run `swarmkv up --adopt` to deploy into that swarm anyway (swarmkv then only adds objects labelled swarmkv.cluster), or leave it first',
      );
    }
    await manager.docker.swarmUpdate({
      _query: { version: swarm.Version.Index },
      _body: { ...swarm.Spec, Labels: { ...labels, [SWARM_LABEL_ADOPTED]: 'true' } },
    });
    changes.push(`adopted swarm ${swarm.ID}`);
  }

  for (const e of engines) {
    if (e === manager) continue;
    const i = await swarmInfo(e.docker);
    if (i.state === 'active' && i.clusterId === undefined && !i.controlAvailable) {
      // Workers do not see the cluster ID; the manager's node list tells whether it is ours.
      const nodes = await manager.docker.listNodes();
      if (nodes.some((n: { ID: string }) => n.ID === i.nodeId)) continue;
    }
    if (i.state === 'active' && i.clusterId === swarm.ID) continue;
    if (i.state === 'active') {
      throw new SwarmkvError('SWARM_STATE', `host ${e.host.name} is in another swarm`, `leave it on that host (\`docker swarm leave --force\`) and run \`swarmkv up\` again`);
    }
    try {
      await e.docker.swarmJoin({
        ListenAddr: `0.0.0.0:${SWARM_PORT}`,
        AdvertiseAddr: `${e.host.advertise}:${SWARM_PORT}`,
        RemoteAddrs: [`${manager.host.advertise}:${SWARM_PORT}`],
        JoinToken: e.host.role === 'manager' ? swarm.JoinTokens.Manager : swarm.JoinTokens.Worker,
      });
    } catch (err) {
      throw new SwarmkvError('SWARM_STATE', `host ${e.host.name} could not join the swarm: ${messageOf(err)}`, `check that ${e.host.name} reaches ${manager.host.advertise}:${SWARM_PORT} (tcp) and 7946 (tcp+udp), 4789 (udp)`);
    }
    joined.push(e);
    changes.push(`${e.host.name} joined as ${e.host.role}`);
  }
  changes.push(...(await labelNodes(engines, manager)));
  return { manager, swarmId: swarm.ID, managed, changes, initialised };
}

/** Gives each swarm node the labels placement uses: swarmkv.host, swarmkv.router and the file's. */
export async function labelNodes(engines: readonly Engine[], manager: Engine): Promise<string[]> {
  const changes: string[] = [];
  const allRoute = engines.every((e) => e.host.router);
  for (const e of engines) {
    const { nodeId } = await swarmInfo(e.docker);
    const node = manager.docker.getNode(nodeId);
    const n = (await node.inspect()) as { Version: { Index: number }; Spec: Record<string, unknown> & { Labels?: Record<string, string> } };
    const want: Record<string, string> = { ...e.host.labels, [NODE_LABEL_HOST]: e.host.name };
    if (!allRoute) want[NODE_LABEL_ROUTER] = String(e.host.router);
    const have = n.Spec.Labels ?? {};
    if (Object.entries(want).every(([k, v]) => have[k] === v)) continue;
    await node.update({ _query: { version: n.Version.Index }, _body: { ...n.Spec, Labels: { ...have, ...want } } });
    changes.push(`labels of ${e.host.name}`);
  }
  return changes;
}
