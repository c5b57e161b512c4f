/**
 * CIDR blocks as address ranges, so sources are compared by what they admit rather than by spelling:
 * `0.0.0.0/1` and `128.0.0.0/1` together are the whole IPv4 internet, as `::/1` and `8000::/1` are
 * the whole IPv6 one. Pure functions; IPv6 uses BigInt.
 */

export interface Range {
    family: 4 | 6;
    start: bigint;
    end: bigint;
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

function parseV4(addr: string): bigint | undefined {
    const parts = addr.split(".");
    if (parts.length !== 4) return undefined;
    let v = 0n;
    for (const p of parts) {
        if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
        v = (v << 8n) | BigInt(Number(p));
    }
    return v;
}

function parseV6(addr: string): bigint | undefined {
    let text = addr.toLowerCase();
    // An embedded IPv4 tail (::ffff:1.2.3.4).
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
        const n = parseV4(v4[1]);
        if (n === undefined) return undefined;
        text = `${text.slice(0, v4.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
    }
    const halves = text.split("::");
    if (halves.length > 2) return undefined;
    const head = halves[0] === "" ? [] : halves[0].split(":");
    const tail = halves.length === 2 ? (halves[1] === "" ? [] : halves[1].split(":")) : [];
    const missing = 8 - head.length - tail.length;
    if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
    const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    let v = 0n;
    for (const g of groups) {
        if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
        v = (v << 16n) | BigInt(parseInt(g, 16));
    }
    return v;
}

/** The range a CIDR block covers (host bits ignored, as AWS normalises them), or undefined if it is not a CIDR. */
export function parseCidr(cidr: string): Range | undefined {
    const m = /^\s*([^/\s]+)\/(\d{1,3})\s*$/.exec(cidr);
    if (!m) return undefined;
    const bits = Number(m[2]);
    const family: 4 | 6 = m[1].includes(":") ? 6 : 4;
    const width = family === 4 ? 32n : 128n;
    if (bits > Number(width)) return undefined;
    const addr = family === 4 ? parseV4(m[1]) : parseV6(m[1]);
    if (addr === undefined) return undefined;
    const hostBits = width - BigInt(bits);
    const start = (addr >> hostBits) << hostBits;
    return { family, start, end: start + (1n << hostBits) - 1n };
}

/** Whether the union of `ranges` covers every address of `family`. */
function coversAll(ranges: Range[], family: 4 | 6): boolean {
    const max = family === 4 ? V4_MAX : V6_MAX;
    const sorted = ranges.filter((r) => r.family === family).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let next = 0n;
    for (const r of sorted) {
        if (r.start > next) return false;
        if (r.end + 1n > next) next = r.end + 1n;
        if (next > max) return true;
    }
    return false;
}

/** Whether a set of CIDR blocks, together, is the whole IPv4 or the whole IPv6 internet. */
export function coversWorld(cidrs: string[]): boolean {
    const ranges = cidrs.map(parseCidr).filter((r): r is Range => r !== undefined);
    return coversAll(ranges, 4) || coversAll(ranges, 6);
}
