/**
 * The Multi-AZ exemption marker shared with the policy pack: resources that live in one AZ by
 * design, because they belong to a cluster placement group (or serve one from the same AZ), carry
 * this tag; its value says why. Only those resources may carry it.
 */
export const MULTI_AZ_EXEMPT_TAG = "platform:multi-az-exempt";

/** The reason for HPC resources: a cluster placement group is one AZ (and one rack) by design. */
export const PLACEMENT_GROUP_EXEMPTION = "hpc-cluster-placement-group";

/** The tags that mark a resource as single-AZ by design for the cluster placement group. */
export const placementGroupExemption = (): Record<string, string> => ({ [MULTI_AZ_EXEMPT_TAG]: PLACEMENT_GROUP_EXEMPTION });
