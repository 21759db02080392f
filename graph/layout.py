"""Layout: seeded positions that show the communities apart, shared by the HTML view and GEXF.

Input: the edge builder's `nx.Graph` (nodes may carry `community` and `mentions`, edges
`weight`) and which of its nodes to place. Output: integer pixel positions per node,
the same for the same graph whatever the insertion order.

How: each community is laid out on its own (force-directed, below) in a disc whose area
grows with its size; the discs are then placed as bodies that links between communities
pull together and that never overlap, so each community reads as one patch. Entities
with no link among the placed nodes are set apart on a shelf of rows below the rest, the
most mentioned first, instead of scattered among the linked ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import networkx as nx
import numpy as np

LAYOUT_SEED = 7
# Room per node: a disc of area SPACING**2 per member, ~80 px between neighbours.
SPACING = 80.0
# Empty space between two community discs: a fixed part plus a share of their radii,
# so big communities stand apart as clearly as small ones.
GAP = 40.0
GAP_SHARE = 0.3
SHELF_STEP = 70.0
# The view is wider than tall (a screen beside a side panel): pull harder vertically.
ASPECT = 1.8
# Up to this many community discs every pair is tested for overlap at each step; above,
# only pairs close enough (separate_near): all pairs of 3,460 discs took 15 s.
PAIRWISE_UP_TO = 600

Position = tuple[int, int]


def layout(graph: nx.Graph, nodes: Sequence[str] | None = None) -> dict[str, Position]:
    """Positions for `nodes` (default: every node), using only links among them."""
    chosen = sorted(graph.nodes if nodes is None else nodes, key=str)
    kept = set(chosen)
    edges = sorted(
        (min(u, v, key=str), max(u, v, key=str), float(w))
        for u, v, w in graph.edges(data="weight", default=1.0)
        if u in kept and v in kept and u != v
    )
    linked = sorted({u for u, _, _ in edges} | {v for _, v, _ in edges}, key=str)
    groups = _groups(graph, linked, edges)
    positions: dict[str, tuple[float, float]] = {}
    if groups:
        members = [sorted(group, key=str) for group in groups]
        radii = [SPACING * math.sqrt(len(group) / math.pi) + SPACING / 2 for group in members]
        group_of = {node: i for i, group in enumerate(members) for node in group}
        between: dict[tuple[int, int], float] = defaultdict(float)
        inside: dict[int, list[tuple[str, str, float]]] = defaultdict(list)
        for u, v, w in edges:
            a, b = group_of[u], group_of[v]
            if a == b:
                inside[a].append((u, v, w))
            else:
                between[(min(a, b), max(a, b))] += w
        centres = place_discs(radii, between)
        for i, group in enumerate(members):
            local = spring_positions(group, inside[i])
            for node, (x, y) in local.items():
                positions[node] = (centres[i][0] + x * (radii[i] - SPACING / 2),
                                   centres[i][1] + y * (radii[i] - SPACING / 2))  # fmt: skip
    unlinked = sorted(kept - set(linked), key=lambda n: (-int(graph.nodes[n].get("mentions", 0)), str(n)))
    positions.update(_shelf(unlinked, positions))
    if not positions:
        return {}
    xs = np.array([p[0] for p in positions.values()])
    ys = np.array([p[1] for p in positions.values()])
    # centred on the linked part, so an opening view fits it first
    cx = float(np.mean([positions[n][0] for n in linked])) if linked else float(xs.mean())
    cy = float(np.mean([positions[n][1] for n in linked])) if linked else float(ys.mean())
    return {node: (int(round(x - cx)), int(round(y - cy))) for node, (x, y) in positions.items()}


def _groups(graph: nx.Graph, linked: list[str], edges: list[tuple[str, str, float]]) -> list[set[str]]:
    """The communities among `linked` (connected components where a node has none),
    largest first."""
    if linked and all(graph.nodes[n].get("community") is not None for n in linked):
        by_community: dict[int, set[str]] = defaultdict(set)
        for node in linked:
            by_community[int(graph.nodes[node]["community"])].add(node)
        groups = list(by_community.values())
    else:
        sub = nx.Graph()
        sub.add_nodes_from(linked)
        sub.add_edges_from((u, v) for u, v, _ in edges)
        groups = [set(c) for c in nx.connected_components(sub)]
    return sorted(groups, key=lambda g: (-len(g), min(g, key=str)))


def place_discs(radii: list[float], links: dict[tuple[int, int], float], *, iterations: int = 300) -> list[tuple[float, float]]:
    """Centres for discs of `radii` (largest first) that never overlap, pulled together
    by `links` (pairs of disc indexes to a weight): a few hundred steps of springs along
    the links, a weak pull to the middle and collisions resolved each step."""
    n = len(radii)
    r = np.array(radii, dtype=float)
    # start on a sunflower spiral, largest in the middle: already compact and apart
    angle = np.arange(n) * math.pi * (3 - math.sqrt(5))
    reach = np.sqrt(np.cumsum(np.pi * r * r) / np.pi) * 1.2
    x, y = reach * np.cos(angle), reach * np.sin(angle)
    if n == 1:
        return [(0.0, 0.0)]
    pairs = sorted(links)
    src = np.array([a for a, _ in pairs], dtype=np.int64)
    dst = np.array([b for _, b in pairs], dtype=np.int64)
    pull = np.log1p(np.array([links[p] for p in pairs], dtype=float))
    pull = pull / max(float(pull.max()), 1e-9) if len(pull) else pull
    for step in range(iterations):
        cool = 1.0 - step / iterations
        fx = -0.02 * x / ASPECT
        fy = -0.02 * y
        if len(src):
            ex, ey = x[dst] - x[src], y[dst] - y[src]
            dist = np.maximum(np.hypot(ex, ey), 1e-9)
            rest = (r[src] + r[dst]) * (1 + GAP_SHARE) + GAP
            stretch = 0.05 * pull * np.maximum(dist - rest, 0) / dist
            fx += np.bincount(src, ex * stretch, n) - np.bincount(dst, ex * stretch, n)
            fy += np.bincount(src, ey * stretch, n) - np.bincount(dst, ey * stretch, n)
        x += fx * cool
        y += fy * cool
        _separate(x, y, r)
    for _ in range(50):  # the last pull may have left a sliver of overlap
        if not _separate(x, y, r):
            break
    return [(float(a), float(b)) for a, b in zip(x, y)]


def _separate(x: np.ndarray, y: np.ndarray, r: np.ndarray) -> bool:
    """Push every overlapping pair of discs apart, each by half the overlap (the
    smaller disc moves more); True if any pair overlapped."""
    if len(r) > PAIRWISE_UP_TO:
        return separate_near(x, y, r)
    dx = x[:, None] - x[None, :]
    dy = y[:, None] - y[None, :]
    dist = np.hypot(dx, dy)
    need = (r[:, None] + r[None, :]) * (1 + GAP_SHARE) + GAP
    np.fill_diagonal(need, 0.0)
    overlap = np.maximum(need - dist, 0.0)
    if not overlap.any():
        return False
    # coincident centres: split them along a fixed direction
    safe = np.where(dist > 1e-9, dist, 1.0)
    ux = np.where(dist > 1e-9, dx / safe, 1.0)
    uy = np.where(dist > 1e-9, dy / safe, 0.0)
    share = r[None, :] ** 2 / (r[:, None] ** 2 + r[None, :] ** 2)
    x += (ux * overlap * share).sum(axis=1) * 0.5
    y += (uy * overlap * share).sum(axis=1) * 0.5
    return True


def separate_near(x: np.ndarray, y: np.ndarray, r: np.ndarray) -> bool:
    """`_separate` over the pairs close enough to overlap, found with a k-d tree: each
    disc looks for the discs no larger than itself within the distance two of its size
    would need, so a large disc searches wide and the many small ones search near."""
    from scipy.spatial import cKDTree  # only for thousands of discs: its import takes ~0.5 s

    n = len(r)
    points = np.column_stack((x, y))
    near = cKDTree(points).query_ball_point(points, 2 * r * (1 + GAP_SHARE) + GAP)
    i = np.repeat(np.arange(n), [len(found) for found in near])
    j = np.fromiter((k for found in near for k in found), dtype=np.int64, count=len(i))
    keep = (r[j] < r[i]) | ((r[j] == r[i]) & (j > i))
    i, j = i[keep], j[keep]
    dx, dy = x[i] - x[j], y[i] - y[j]
    dist = np.hypot(dx, dy)
    overlap = np.maximum((r[i] + r[j]) * (1 + GAP_SHARE) + GAP - dist, 0.0)
    if not overlap.any():
        return False
    # coincident centres: both move along a fixed direction, as in _separate
    apart = dist > 1e-9
    safe = np.where(apart, dist, 1.0)
    ux, uy = np.where(apart, dx / safe, 1.0), np.where(apart, dy / safe, 0.0)
    vx, vy = np.where(apart, -dx / safe, 1.0), np.where(apart, -dy / safe, 0.0)
    both = r[i] ** 2 + r[j] ** 2
    push_i, push_j = overlap * r[j] ** 2 / both, overlap * r[i] ** 2 / both
    x += (np.bincount(i, ux * push_i, n) + np.bincount(j, vx * push_j, n)) * 0.5
    y += (np.bincount(i, uy * push_i, n) + np.bincount(j, vy * push_j, n)) * 0.5
    return True


def _shelf(nodes: list[str], placed: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Rows of slots below the placed nodes, as wide as they are (or square if none)."""
    if not nodes:
        return {}
    if placed:
        xs = [p[0] for p in placed.values()]
        ys = [p[1] for p in placed.values()]
        left, width, top = min(xs), max(xs) - min(xs), max(ys) + 2 * SHELF_STEP
    else:
        width = SHELF_STEP * math.ceil(math.sqrt(len(nodes)))
        left, top = -width / 2, 0.0
    columns = max(1, int(width // SHELF_STEP) + 1)
    return {
        node: (left + (i % columns) * SHELF_STEP, top + (i // columns) * SHELF_STEP)
        for i, node in enumerate(nodes)
    }


def spring_positions(
    nodes: list[str], edges: list[tuple[str, str, float]], *, iterations: int = 120
) -> dict[str, tuple[float, float]]:
    """Seeded force-directed positions in the unit disc (the farthest node at radius 1).

    Fruchterman-Reingold with the repulsion of each step estimated from a seeded sample
    of nodes: exact repulsion is quadratic (seconds at 5,000 nodes), and networkx' own
    layout is slower still in Python.
    """
    n = len(nodes)
    if n < 2:
        return {node: (0.0, 0.0) for node in nodes}
    if n == 2:
        return {nodes[0]: (-1.0, 0.0), nodes[1]: (1.0, 0.0)}
    rng = np.random.default_rng(LAYOUT_SEED)
    # x and y as separate arrays: numpy is several times slower on (n, m, 2) strides
    x, y = rng.uniform(-1.0, 1.0, size=(2, n))
    index = {node: i for i, node in enumerate(nodes)}
    src = np.array([index[u] for u, _, _ in edges], dtype=np.int64)
    dst = np.array([index[v] for _, v, _ in edges], dtype=np.int64)
    # log keeps one very frequent pair from collapsing its two nodes onto each other
    pull = np.log1p(np.array([w for _, _, w in edges], dtype=float))
    k = 2.0 / math.sqrt(n)
    samples = min(n, 200)
    temperature = 0.2
    for step in range(iterations):
        pivots = rng.choice(n, size=samples, replace=False) if samples < n else np.arange(n)
        dx = x[:, None] - x[None, pivots]
        dy = y[:, None] - y[None, pivots]
        inverse = 1.0 / np.maximum(dx * dx + dy * dy, 1e-6)
        # gravity balancing the repulsion of all n nodes at radius ~1: without it loosely
        # linked nodes drift far out and the scaling below squeezes the rest into a dot
        fx = (dx * inverse).sum(axis=1) * (k * k * n / samples) - x * (k * k * n)
        fy = (dy * inverse).sum(axis=1) * (k * k * n / samples) - y * (k * k * n)
        if len(src):
            ex = x[src] - x[dst]
            ey = y[src] - y[dst]
            spring = np.sqrt(ex * ex + ey * ey) * pull / k
            fx += np.bincount(dst, ex * spring, n) - np.bincount(src, ex * spring, n)
            fy += np.bincount(dst, ey * spring, n) - np.bincount(src, ey * spring, n)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        move = np.minimum(length, temperature * (1 - step / iterations)) / length
        x += fx * move
        y += fy * move
    x -= x.mean()
    y -= y.mean()
    spread = max(float(np.sqrt(x * x + y * y).max()), 1e-9)
    return {node: (float(a / spread), float(b / spread)) for node, a, b in zip(nodes, x, y)}
