import type { Policy } from "@pulumi/policy";
import { albHttps } from "./rules/alb-https";
import { awsxDefaultSecurityGroups } from "./rules/awsx-default-security-groups";
import { encryptionAtRest } from "./rules/encryption-at-rest";
import { hpcEfaCluster } from "./rules/hpc-efa-cluster";
import { hpcLustrePorts } from "./rules/hpc-lustre-ports";
import { imdsv2Required } from "./rules/imdsv2-required";
import { multiAzAurora } from "./rules/multi-az-aurora";
import { multiAzAutoScalingGroup } from "./rules/multi-az-auto-scaling-group";
import { multiAzEfs } from "./rules/multi-az-efs";
import { multiAzLoadBalancer } from "./rules/multi-az-load-balancer";
import { multiAzNatGateways } from "./rules/multi-az-nat-gateways";
import { multiAzRdsInstance } from "./rules/multi-az-rds-instance";
import { multiAzRedis } from "./rules/multi-az-redis";
import { noAdminPortsFromWorld } from "./rules/no-admin-ports-from-world";
import { noPublicDataStores } from "./rules/no-public-data-stores";
import { productionDataProtection } from "./rules/production-data-protection";
import { securityGroupChaining } from "./rules/security-group-chaining";
import { snsTopicEncrypted } from "./rules/sns-topic-encrypted";
import { queuePolicyNoPublicPrincipal } from "./rules/queue-policy-no-public-principal";
import { internetAlbEdgeProtection } from "./rules/internet-alb-edge-protection";

/** Every policy of the pack, one rule per file under rules/. Tests and the offline plan import this list. */
export const policies: Policy[] = [
    // Security groups
    securityGroupChaining,
    noAdminPortsFromWorld,
    awsxDefaultSecurityGroups,
    // Multi-AZ (mandatory in production, advisory elsewhere)
    multiAzLoadBalancer,
    multiAzAutoScalingGroup,
    multiAzAurora,
    multiAzRdsInstance,
    multiAzRedis,
    multiAzEfs,
    multiAzNatGateways,
    // HPC
    hpcEfaCluster,
    hpcLustrePorts,
    // Baseline
    encryptionAtRest,
    imdsv2Required,
    albHttps,
    noPublicDataStores,
    productionDataProtection,
    // Events and the edge
    snsTopicEncrypted,
    queuePolicyNoPublicPrincipal,
    internetAlbEdgeProtection,
];
