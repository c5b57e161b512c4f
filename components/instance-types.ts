import { InstanceType as Ec2InstanceType } from "@pulumi/aws/types/enums/ec2";
import { InstanceType as RdsInstanceType } from "@pulumi/aws/types/enums/rds";

/**
 * Instance types and classes checked against the lists `@pulumi/aws` ships (generated from the
 * provider's schema), so a misspelt or invented type is rejected offline instead of by AWS at
 * creation. RDS classes are `db.` + an EC2 instance type; the provider's RDS list lags behind new
 * families, so a class is accepted when either list knows it. ElastiCache node types follow the same
 * pattern with `cache.`.
 */

const EC2_TYPES: ReadonlySet<string> = new Set(Object.values(Ec2InstanceType));
const RDS_CLASSES: ReadonlySet<string> = new Set(Object.values(RdsInstanceType));

/** Why an EC2 instance type cannot be launched, or undefined when the provider knows it. */
export function ec2InstanceTypeProblem(type: string): string | undefined {
    if (EC2_TYPES.has(type)) return undefined;
    const family = type.split(".")[0];
    const sizes = [...EC2_TYPES].filter((t) => t.startsWith(`${family}.`)).slice(0, 6);
    return `${type} is not an EC2 instance type${sizes.length ? ` (${family} offers ${sizes.join(", ")}, …)` : ""}`;
}

/** Why a DB instance class cannot be created, or undefined. `db.serverless` is Aurora Serverless v2. */
export function dbInstanceClassProblem(instanceClass: string): string | undefined {
    if (instanceClass === "db.serverless" || RDS_CLASSES.has(instanceClass)) return undefined;
    if (instanceClass.startsWith("db.") && EC2_TYPES.has(instanceClass.slice(3))) return undefined;
    return `${instanceClass} is not a DB instance class (db. + an instance type, e.g. db.r6g.large, db.t4g.medium)`;
}

/** Why an ElastiCache node type cannot be created, or undefined. */
export function cacheNodeTypeProblem(nodeType: string): string | undefined {
    if (nodeType.startsWith("cache.") && EC2_TYPES.has(nodeType.slice(6))) return undefined;
    return `${nodeType} is not an ElastiCache node type (cache. + an instance type, e.g. cache.t4g.micro, cache.r7g.large)`;
}
