// Member identities: names, 16-hex-digit ids like etcd's, IPs and scrape targets, from the seed.
import { deriveRng } from './prng.ts';
import type { LabelScheme, Member } from './types.ts';

/** The etcd client port, which also serves /metrics in this simulation. */
export const CLIENT_PORT = 2379;

/** Creates the members of a cluster; the same seed always gives the same ids and IPs. */
export function createMembers(count: number, seed: number, scheme: LabelScheme): Member[] {
  const rng = deriveRng(seed, 1);
  const members: Member[] = [];
  const ids = new Set<string>();
  for (let i = 1; i <= count; i++) {
    let id: string;
    do {
      // 16 hex digits, first one non-zero, as etcd prints member ids.
      id = (1 + Math.floor(rng() * 15)).toString(16);
      for (let d = 1; d < 16; d++) id += Math.floor(rng() * 16).toString(16);
    } while (ids.has(id));
    ids.add(id);
    const ip =
      scheme === 'kube' ? `10.244.${i}.${2 + Math.floor(rng() * 250)}` : `10.0.1.${10 + i}`;
    members.push({ index: i, name: `etcd-${i}`, id, ip, instance: `${ip}:${CLIENT_PORT}` });
  }
  return members;
}

/** The target labels Prometheus puts on every series of a member. */
export function targetLabels(member: Member, scheme: LabelScheme): Record<string, string> {
  if (scheme === 'plain') return { job: 'etcd', instance: member.instance };
  return {
    job: 'etcd',
    instance: member.instance,
    endpoint: 'client',
    namespace: 'etcd',
    pod: member.name,
    service: 'etcd',
  };
}
