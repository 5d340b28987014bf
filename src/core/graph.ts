/** Graph algorithms over dependency edges: cycles (Tarjan) and trees. */

/** Returns the elementary cycles found in the graph, one per strongly connected component. */
export function findCycles(edges: { from: string; to: string }[]): string[][] {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    if (!adj.has(e.from)) adj.set(e.from, []);
    adj.get(e.from)!.push(e.to);
  }
  for (const list of adj.values()) list.sort();
  // Tarjan's SCC, iterative so that long chains do not overflow the stack.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  for (const root of [...adj.keys()].sort()) {
    if (idx.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    idx.set(root, index), low.set(root, index++), stack.push(root), onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const next = adj.get(v) ?? [];
      if (i < next.length) {
        frame[1]++;
        const w = next[i];
        if (!idx.has(w)) {
          idx.set(w, index), low.set(w, index++), stack.push(w), onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      } else {
        work.pop();
        if (work.length) {
          const u = work[work.length - 1][0];
          low.set(u, Math.min(low.get(u)!, low.get(v)!));
        }
        if (low.get(v) === idx.get(v)) {
          const comp: string[] = [];
          let w: string;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            comp.push(w);
          } while (w !== v);
          const selfLoop = comp.length === 1 && (adj.get(v) ?? []).includes(v);
          if (comp.length > 1 || selfLoop) sccs.push(comp);
        }
      }
    }
  }
  // Within each component, walk from its smallest node back to itself for one concrete cycle.
  return sccs.map((comp) => cycleIn(new Set(comp), adj)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function cycleIn(comp: Set<string>, adj: Map<string, string[]>): string[] {
  const start = [...comp].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of adj.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return path;
      }
      if (!seen.has(w)) seen.add(w), prev.set(w, v), queue.push(w);
    }
  }
  return [start];
}
