// After a syntax error, recovery can leave a node whose recorded end precedes
// its start or a child's end. Widen such ranges so every node still covers its
// children in order (valid input never needs this).
import type { Node } from './ast.js';
import { children } from './visit.js';

export function repairRanges(root: Node): void {
  const post: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    post.push(n);
    for (const c of children(n)) stack.push(c);
  }
  // Children before parents.
  for (let i = post.length - 1; i >= 0; i--) {
    const n = post[i]!;
    const kids = children(n);
    let at = n.start;
    for (const c of kids) {
      if (c.start < at) c.start = at;
      if (c.end < c.start) c.end = c.start;
      at = Math.max(at, c.end);
    }
    if (kids.length > 0) n.start = Math.min(n.start, kids[0]!.start);
    if (n.end < at) n.end = at;
    if (n.end < n.start) n.end = n.start;
  }
}
