/**
 * The triage analysis over open work, with no I/O: which open issues each one holds up, the
 * longest chain of issues each blocked by the previous one, and the same per epic.
 *
 * "X blocks Y" follows the ready rule: Y has a `blocks` dependency on X, or Y is a descendant
 * (by the parent rule: the parent-child edge, else the hierarchical ID) of an issue X blocks — a blocked parent blocks
 * its children. A parent does not block its own children, and `related` and `discovered-from`
 * block nothing. Only open (not closed) issues take part.
 */

export interface TriageInput {
  ids: string[];
  /** `from` blocks `to`, directly. */
  blocks: { from: string; to: string }[];
  /** Each issue's parent among `ids`, as the store decides it (store/parent_rule.ts). */
  parents: { child: string; parent: string }[];
}

export interface TriageGraph {
  ids: string[];
  index: Map<string, number>;
  /** Direct blocks edges out of each node. */
  blocksOut: number[][];
  /** Children of each node. */
  children: number[][];
}

/** Builds the graph. */
export function triageGraph(input: TriageInput): TriageGraph {
  const index = new Map(input.ids.map((id, i) => [id, i]));
  const blocksOut: number[][] = input.ids.map(() => []);
  const children: number[][] = input.ids.map(() => []);
  const childSets = input.ids.map(() => new Set<number>());
  const addChild = (p: number, c: number) => {
    if (p !== c && !childSets[p].has(c)) childSets[p].add(c), children[p].push(c);
  };
  for (const e of input.blocks) {
    const f = index.get(e.from), t = index.get(e.to);
    if (f !== undefined && t !== undefined && f !== t) blocksOut[f].push(t);
  }
  for (const e of input.parents) {
    const p = index.get(e.parent), c = index.get(e.child);
    if (p !== undefined && c !== undefined) addChild(p, c);
  }
  return { ids: input.ids, index, blocksOut, children };
}

/**
 * The number of open issues each node blocks, transitively (0 for most): a walk from each
 * blocker along blocks edges, and from every issue it reaches to that children.
 */
export function unblocksAll(g: TriageGraph): Int32Array {
  const n = g.ids.length;
  const out = new Int32Array(n);
  const seen = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  for (let x = 0; x < n; x++) {
    if (g.blocksOut[x].length === 0) continue;
    out[x] = reachFrom(g, x, seen, queue);
  }
  return out;
}

/** How many nodes `x` blocks (see unblocksAll); `seen` is stamped with `x`, `queue` is scratch. */
function reachFrom(g: TriageGraph, x: number, seen: Int32Array, queue: Int32Array): number {
  let head = 0, tail = 0;
  seen[x] = x;
  for (const t of g.blocksOut[x]) if (seen[t] !== x) seen[t] = x, queue[tail++] = t;
  while (head < tail) {
    const m = queue[head++];
    for (const t of g.blocksOut[m]) if (seen[t] !== x) seen[t] = x, queue[tail++] = t;
    for (const c of g.children[m]) if (seen[c] !== x) seen[c] = x, queue[tail++] = c;
  }
  return tail;
}

/** Which nodes are blocked: a direct blocker, or an ancestor that is blocked (the ready rule). */
export function blockedNodes(g: TriageGraph): Uint8Array {
  const blocked = new Uint8Array(g.ids.length);
  const stack: number[] = [];
  for (const out of g.blocksOut) for (const t of out) if (!blocked[t]) blocked[t] = 1, stack.push(t);
  while (stack.length) for (const c of g.children[stack.pop()!]) if (!blocked[c]) blocked[c] = 1, stack.push(c);
  return blocked;
}

/** The set of nodes under `root` (its descendants through children), root excluded. */
export function descendants(g: TriageGraph, root: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>([root]);
  const stack = [root];
  while (stack.length) {
    for (const c of g.children[stack.pop()!]) if (!seen.has(c)) seen.add(c), out.push(c), stack.push(c);
  }
  return out;
}

/**
 * The longest chain of nodes, each blocked by the previous one, among `within` (all nodes when
 * undefined), from its start to its end. Ties go to the chain that starts with the better `rank`
 * (lower first). Edges inside a cycle are not followed (cycles are reported on their own).
 */
export function longestChain(g: TriageGraph, rank: (i: number) => number, within?: Set<number>): number[] {
  const n = g.ids.length;
  const inside = (i: number) => within === undefined || within.has(i);
  // L(v): the longest chain starting at v. M(a): the best L over a and its descendants (a chain
  // can step from a blocker of a to any descendant of a). Both by an iterative depth-first walk.
  const L = new Int32Array(n), M = new Int32Array(n);
  const nextOf = new Int32Array(n).fill(-1); // where v's chain continues
  const bestIn = new Int32Array(n).fill(-1); // the node under a (or a itself) whose L is M(a)
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done (for L), likewise for M below
  const mState = new Uint8Array(n);
  const better = (x: number, y: number) => y < 0 || L[x] > L[y] || (L[x] === L[y] && rank(x) < rank(y));
  // Work items: [kind, node, stage]; kind 0 = L(v), kind 1 = M(a).
  const solve = (start: number) => {
    const stack: [number, number, number][] = [[0, start, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [kind, v, stage] = top;
      if (kind === 0) {
        if (stage === 0) {
          if (state[v] !== 0) {
            stack.pop();
            continue;
          }
          state[v] = 1;
          top[2] = 1;
          for (const a of g.blocksOut[v]) if (inside(a) && mState[a] === 0) stack.push([1, a, 0]);
          continue;
        }
        let best = -1;
        for (const a of g.blocksOut[v]) {
          if (!inside(a) || mState[a] !== 2) continue; // mState 1: a cycle back to v's chain
          const w = bestIn[a];
          if (w >= 0 && better(w, best)) best = w;
        }
        L[v] = 1 + (best >= 0 ? L[best] : 0);
        nextOf[v] = best;
        state[v] = 2;
        stack.pop();
      } else {
        if (stage === 0) {
          if (mState[v] !== 0) {
            stack.pop();
            continue;
          }
          mState[v] = 1;
          top[2] = 1;
          if (state[v] === 0) stack.push([0, v, 0]);
          for (const c of g.children[v]) if (inside(c) && mState[c] === 0) stack.push([1, c, 0]);
          continue;
        }
        let best = state[v] === 2 ? v : -1;
        for (const c of g.children[v]) {
          if (inside(c) && mState[c] === 2 && bestIn[c] >= 0 && better(bestIn[c], best)) best = bestIn[c];
        }
        bestIn[v] = best;
        M[v] = best >= 0 ? L[best] : 0;
        mState[v] = 2;
        stack.pop();
      }
    }
  };
  let start = -1;
  for (let v = 0; v < n; v++) {
    if (!inside(v)) continue;
    if (state[v] === 0) solve(v);
    if (better(v, start)) start = v;
  }
  const chain: number[] = [];
  const onChain = new Set<number>();
  for (let v = start; v >= 0 && !onChain.has(v); v = nextOf[v]) chain.push(v), onChain.add(v);
  return chain;
}
