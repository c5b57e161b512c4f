import { isMultiAzExempt, multiAzPolicy } from "../lib/multi-az";
import { T } from "../lib/types";
import { bool, str } from "../lib/values";

export const multiAzRdsInstance = multiAzPolicy({
    name: "multi-az-rds-instance",
    description: "RDS DB instances run Multi-AZ (a synchronous standby in another AZ with automatic failover).",
    check: ({ ix, report }) => {
        for (const db of ix.ofType(T.rdsInstance)) {
            const p = db.props;
            if (isMultiAzExempt(db)) continue;
            // Read replicas follow their source; Aurora members are judged as clusters.
            if (p.replicateSourceDb !== undefined || (str(p.engine) ?? "").startsWith("aurora")) continue;
            const multiAz = bool(p.multiAz);
            if (multiAz === undefined && p.multiAz !== undefined) continue; // unknown during preview
            if (multiAz !== true) {
                report(`RDS instance '${db.name}' is single-AZ. Fix: set multiAz: true (and leave availabilityZone unset: AWS rejects both together).`, db.urn);
            }
        }
    },
});
