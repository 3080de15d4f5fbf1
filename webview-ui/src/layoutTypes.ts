// The shapes a graph layout is made of: what goes in (plain data, so it crosses to the layout
// worker as it is) and what comes out. Their own file so that graphModel.ts (dagre) and
// layeredLayout.ts (big graphs) share them without importing each other.

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly Point[];
  /** A fan-out child's edge to its parent (drawn dashed), not a dependency. */
  readonly fanOut: boolean;
}

export interface GraphLayout {
  /** The structure it was computed for (see structureKey). */
  readonly key: string;
  readonly width: number;
  readonly height: number;
  /** Each node's centre. */
  readonly nodes: ReadonlyMap<string, Point>;
  readonly edges: readonly GraphEdge[];
}

/** What a layout needs, as plain data: it crosses to the layout worker (layoutWorker.ts) as it is. */
export interface LayoutInput {
  readonly key: string;
  /** Each node's id and width (a folded fan-out is wider: it says more). */
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly width: number }>;
  readonly edges: ReadonlyArray<{ readonly from: string; readonly to: string; readonly fanOut: boolean }>;
}
