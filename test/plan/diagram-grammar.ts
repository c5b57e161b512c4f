/**
 * A strict checker of the Mermaid flowchart subset the plan emits (the `mermaid` package needs a DOM to
 * parse, so the subset is checked here against Mermaid's flowchart grammar):
 *
 *   diagram   := "flowchart" dir NL (stmt NL)*
 *   dir       := LR | RL | TB | TD | BT
 *   stmt      := subgraph | "end" | node | edge
 *   subgraph  := "subgraph" ID "[" STRING "]"
 *   node      := ID ( "[" STRING "]" | "[(" STRING ")]" | "([" STRING "])" | "((" STRING "))" )
 *   edge      := ID ( "-->" | "-.->" ) ( "|" STRING "|" )? ID
 *   ID        := [A-Za-z][A-Za-z0-9_]*   (not a Mermaid keyword)
 *   STRING    := '"' ( any char but '"', '<', '>', newline; '#' only as an entity "#name;" / "#123;" ) '"'
 *
 * and the structure: subgraphs balanced, every id defined once (node or subgraph), every edge end a
 * defined node. Returns the problems found; none means valid.
 */

export interface ParsedDiagram {
    nodes: Map<string, string>;
    subgraphs: Map<string, { label: string; parent?: string; nodes: string[] }>;
    edges: { from: string; to: string; label?: string; dotted: boolean }[];
    errors: string[];
}

const KEYWORDS = new Set(["end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "click", "linkStyle", "direction", "call", "href"]);
const ID = "[A-Za-z][A-Za-z0-9_]*";
const STRING = '"((?:[^"<>\\n#]|#[a-z]+;|#\\d+;)*)"';
const SUBGRAPH = new RegExp(`^subgraph (${ID})\\[${STRING}\\]$`);
const NODE = new RegExp(`^(${ID})(?:\\[${STRING}\\]|\\[\\(${STRING}\\)\\]|\\(\\[${STRING}\\]\\)|\\(\\(${STRING}\\)\\))$`);
const EDGE = new RegExp(`^(${ID}) (-->|-\\.->)(?:\\|${STRING}\\|)? (${ID})$`);

export function parseFlowchart(source: string): ParsedDiagram {
    const out: ParsedDiagram = { nodes: new Map(), subgraphs: new Map(), edges: [], errors: [] };
    const lines = source.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    if (!/^flowchart (LR|RL|TB|TD|BT)$/.test(lines[0] ?? "")) out.errors.push(`line 1: expected "flowchart <direction>", got ${JSON.stringify(lines[0])}`);
    const stack: string[] = [];
    const defined = new Set<string>();
    const define = (id: string, n: number) => {
        if (KEYWORDS.has(id)) out.errors.push(`line ${n}: ${id} is a keyword, not an id`);
        if (defined.has(id)) out.errors.push(`line ${n}: ${id} defined twice`);
        defined.add(id);
    };
    lines.slice(1).forEach((raw, i) => {
        const n = i + 2;
        const line = raw.trim();
        if (line === "" || line.startsWith("%%")) return;
        let m: RegExpExecArray | null;
        if (line === "end") {
            if (!stack.pop()) out.errors.push(`line ${n}: "end" without a subgraph`);
        } else if ((m = SUBGRAPH.exec(line))) {
            define(m[1], n);
            out.subgraphs.set(m[1], { label: m[2], parent: stack[stack.length - 1], nodes: [] });
            stack.push(m[1]);
        } else if ((m = NODE.exec(line))) {
            define(m[1], n);
            out.nodes.set(m[1], m[2] ?? m[3] ?? m[4] ?? m[5]);
            if (stack.length) out.subgraphs.get(stack[stack.length - 1])!.nodes.push(m[1]);
        } else if ((m = EDGE.exec(line))) {
            out.edges.push({ from: m[1], to: m[4], label: m[3], dotted: m[2] === "-.->" });
        } else {
            out.errors.push(`line ${n}: not in the grammar: ${line}`);
        }
    });
    if (stack.length) out.errors.push(`unclosed subgraph(s): ${stack.join(", ")}`);
    for (const e of out.edges) {
        for (const end of [e.from, e.to]) if (!out.nodes.has(end)) out.errors.push(`edge ${e.from} → ${e.to}: ${end} is not a defined node`);
    }
    return out;
}
