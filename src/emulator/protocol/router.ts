// Matches an HTTP method + path against the URI templates of routes.json. A trie per method;
// literal segments win over labels, labels over greedy labels, so `/thing-groups/addThingToThingGroup`
// never reads as a group named "addThingToThingGroup".
import type { OperationRoute } from './route-types.js';
import { compileRoute, type CompiledRoute } from './codec.js';

export interface RouteMatch {
  readonly operation: string;
  readonly route: CompiledRoute;
  /** Label name → decoded value. */
  readonly labels: Record<string, string>;
}

interface Node {
  readonly literals: Map<string, Node>;
  label?: { readonly name: string; readonly node: Node };
  greedy?: { readonly name: string; readonly operation: string };
  operation?: string;
}

const newNode = (): Node => ({ literals: new Map() });

export interface Router {
  match(method: string, rawPath: string): RouteMatch | undefined;
}

export function createRouter(operations: Readonly<Record<string, OperationRoute>>): Router {
  const roots = new Map<string, Node>();
  const compiled = new Map<string, CompiledRoute>();
  for (const [operation, route] of Object.entries(operations)) {
    let node = roots.get(route.method) ?? newNode();
    roots.set(route.method, node);
    for (const seg of splitPath(route.path)) {
      const label = /^\{([^}+]+)(\+?)\}$/.exec(seg);
      if (label?.[2] === '+') {
        node.greedy = { name: label[1], operation };
        node = undefined as unknown as Node;
        break;
      }
      if (label) {
        node.label ??= { name: label[1], node: newNode() };
        node = node.label.node;
        continue;
      }
      const next = node.literals.get(seg) ?? newNode();
      node.literals.set(seg, next);
      node = next;
    }
    if (node) node.operation = operation;
    compiled.set(operation, compileRoute(route));
  }

  function walk(node: Node, segs: readonly string[], i: number, labels: Record<string, string>): string | undefined {
    if (i === segs.length) {
      if (node.operation) return node.operation;
      return undefined;
    }
    const lit = node.literals.get(segs[i]);
    if (lit) {
      const found = walk(lit, segs, i + 1, labels);
      if (found) return found;
    }
    if (node.label && segs[i] !== '') {
      labels[node.label.name] = decode(segs[i]);
      const found = walk(node.label.node, segs, i + 1, labels);
      if (found) return found;
      delete labels[node.label.name];
    }
    if (node.greedy) {
      labels[node.greedy.name] = segs.slice(i).map(decode).join('/');
      return node.greedy.operation;
    }
    return undefined;
  }

  return {
    match(method, rawPath) {
      const root = roots.get(method);
      if (!root) return undefined;
      const labels: Record<string, string> = {};
      const operation = walk(root, splitPath(rawPath), 0, labels);
      if (!operation) return undefined;
      return { operation, route: compiled.get(operation) as CompiledRoute, labels };
    },
  };
}

function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed === '' ? [] : trimmed.split('/');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
