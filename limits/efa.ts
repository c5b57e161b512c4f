import { EFA_INSTANCE_TYPES } from "./efa-instance-types";

/**
 * EFA facts about EC2 instance types, pure (no Pulumi import): the config schema and the HPC
 * components both use them. Sources: EC2 User Guide, "Elastic Fabric Adapter", and the
 * DescribeInstanceTypes data in ./efa-instance-types.ts.
 */

/** The maximum number of EFA interfaces of an instance type, or undefined when it has no EFA. */
export function maxEfaInterfaces(instanceType: string): number | undefined {
    return Object.prototype.hasOwnProperty.call(EFA_INSTANCE_TYPES, instanceType) ? EFA_INSTANCE_TYPES[instanceType] : undefined;
}

/** A few EFA-capable types of the same family, to make an error message actionable. */
export function efaSizesOfFamily(instanceType: string): string[] {
    const family = instanceType.split(".")[0];
    return Object.keys(EFA_INSTANCE_TYPES).filter((t) => t.split(".")[0] === family);
}

/** Checks that an instance type can carry an EFA; returns the reason when it cannot. */
export function efaProblem(instanceType: string): string | undefined {
    if (maxEfaInterfaces(instanceType) !== undefined) {
        return undefined;
    }
    const sizes = efaSizesOfFamily(instanceType);
    const hint = sizes.length > 0 ? `; EFA-capable sizes of this family: ${sizes.join(", ")}` : "; e.g. c5n.18xlarge, c6in.32xlarge, hpc7a.96xlarge";
    return `${instanceType} does not support EFA (Elastic Fabric Adapter)${hint}`;
}

/**
 * The CPU architecture of an instance type: Graviton families carry a `g` right after the
 * generation digit (c7g, c7gn, hpc7g, im4gn, r8gb); everything else in the table is x86_64.
 */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0];
    return /^[a-z]+\d+g/.test(family) ? "arm64" : "x86_64";
}

/**
 * vCPUs of an instance type from its size name (`<n>xlarge` = 4·n vCPUs, `xlarge` = 4, `large` = 2),
 * or undefined where the name does not tell (metal sizes; hpc* families, which disable SMT).
 */
export function vcpusFromSize(instanceType: string): number | undefined {
    const [family, size] = instanceType.split(".");
    if (!size || family.startsWith("hpc") || size.startsWith("metal")) {
        return undefined;
    }
    if (size === "large") return 2;
    if (size === "xlarge") return 4;
    const m = /^(\d+)xlarge$/.exec(size);
    return m ? Number(m[1]) * 4 : undefined;
}
