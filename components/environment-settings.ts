import { ProblemCollector } from "./validation";
import { ec2InstanceTypeProblem } from "./instance-types";
import type { EnvironmentClass } from "./application";

/**
 * The plain decisions of an Environment: defaults, limits and validation. Pure functions, so the
 * component, the stack-config catalog and the tests share one source of truth.
 */

export type Tier = "web" | "worker";
export type Mode = "single" | "ha";

// AWS limits. Sources: botocore service models as summarised in the platform's AWS research notes
// (elbv2 target group attributes and subnets, sqs CreateQueue attributes, autoscaling RefreshPreferences).
/** Target group `deregistration_delay.timeout_seconds` 0-3600 (botocore:elbv2). */
export const DEREGISTRATION_DELAY = { min: 0, max: 3600 } as const;
/** `stickiness.lb_cookie.duration_seconds` 1-604800, default 86400 (botocore:elbv2). */
export const STICKINESS_DURATION = { min: 1, max: 604800, default: 86400 } as const;
/** SQS `VisibilityTimeout` 0-43200 s (botocore:sqs). */
export const VISIBILITY_TIMEOUT = { min: 0, max: 43200 } as const;
/** SQS redrive `maxReceiveCount` 1-1000 (SQS developer guide, dead-letter queues). */
export const MAX_RECEIVE_COUNT = { min: 1, max: 1000 } as const;
/** SQS `MessageRetentionPeriod` 60-1209600 s (botocore:sqs). */
export const MESSAGE_RETENTION = { min: 60, max: 1209600 } as const;
/** Instance refresh `MinHealthyPercentage` 0-100 (botocore:autoscaling RefreshPreferences). */
export const MIN_HEALTHY_PERCENTAGE = { min: 0, max: 100 } as const;
/** "You must specify subnets from at least two Availability Zones" for an ALB (botocore:elbv2). */
export const ALB_MIN_AZS = 2;
/** The ALB TLS policy AWS recommends today (ELB "Security policies for your Application Load Balancer"). */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
/** Target tracking CPU target: the reference architecture's "e.g. CPU 40 %". */
export const DEFAULT_CPU_TARGET = 40;

/** Variables the platform sets itself; an environment may not override them. */
export const RESERVED_ENV = [
    "PORT",
    "APP_NAME",
    "APP_ENVIRONMENT",
    "APP_VERSION",
    "AWS_REGION",
    "QUEUE_URL",
    "WORKER_QUEUE_URL",
    // The application's backing services (their bindings, components/binding.ts).
    "DATABASE_ENGINE",
    "DATABASE_HOST",
    "DATABASE_READER_HOST",
    "DATABASE_PORT",
    "DATABASE_NAME",
    "DATABASE_SECRET_ARN",
    "CACHE_HOST",
    "CACHE_READER_HOST",
    "CACHE_PORT",
    "CACHE_TLS",
    "CACHE_AUTH_SECRET_ARN",
    "FILE_SYSTEM_ID",
    "FILE_SYSTEM_PATH",
] as const;

export interface ScalingSettings {
    /** Target tracking metric: average CPU of the group or ALB requests per target (web, ha). Defaults to "cpu". */
    metric?: "cpu" | "requestCount";
    /** The target value: a CPU percentage or requests per target per minute. Defaults to 40 for cpu, 1000 for requestCount. */
    target?: number;
}

export interface SpotSettings {
    /** On-demand instances always running: the reserved baseline. Defaults to minSize. */
    onDemandBaseCapacity?: number;
    /** Percentage of on-demand instances above the base (0 = all burst capacity on spot). Defaults to 0. */
    onDemandPercentageAboveBaseCapacity?: number;
    /** Instance types to diversify across. Defaults to [instanceType]. */
    instanceTypes?: string[];
}

export interface QueueSettings {
    /** Seconds a received message stays invisible: longer than the slowest job. Defaults to 300. */
    visibilityTimeoutSeconds?: number;
    /** Receives before a message moves to the dead-letter queue. Defaults to 5. */
    maxReceiveCount?: number;
    /** Seconds a message is kept in the queue. Defaults to 345600 (4 days); the DLQ keeps 14 days. */
    messageRetentionSeconds?: number;
    /** Scaling target: acceptable visible messages per in-service instance. Defaults to 10. */
    backlogPerInstance?: number;
    /** Alarm when the oldest message is older than this many seconds. Defaults to 3600. */
    oldestMessageAlarmSeconds?: number;
}

/** The plain (construction-time) options of an Environment, shared by its arguments and its validation. */
export interface EnvironmentOptions {
    tier: Tier;
    /** Defaults to the application's environment class. */
    environmentClass?: EnvironmentClass;
    /** Defaults to "single" in development and "ha" in production. */
    mode?: Mode;
    /** Defaults to "t3.small". */
    instanceType?: string;
    /** Encrypted gp3 root volume size. Defaults to 20 GiB. */
    rootVolumeSizeGiB?: number;
    /** Defaults to 1 in single mode, max(2, AZ count) in ha mode. */
    minSize?: number;
    /** Defaults to 1 in single mode, 3 × max(2, AZ count) in ha mode. */
    maxSize?: number;
    /** Initial size; afterwards the scaling policy owns it. Defaults to minSize. */
    desiredCapacity?: number;
    /** The port the app listens on (web). Defaults to 8080. */
    port?: number;
    /** Target group health check path (web, ha). Defaults to "/". */
    healthCheckPath?: string;
    /** Healthy HTTP codes (web, ha). Defaults to "200-399". */
    healthCheckMatcher?: string;
    /** Seconds before a new instance's health counts. Defaults to 300. */
    healthCheckGracePeriodSeconds?: number;
    /** Seconds the ALB drains a target (web, ha). Defaults to 30. */
    deregistrationDelaySeconds?: number;
    /** Duration-based ALB cookie stickiness (web, ha). Defaults to off; the duration to 86400 s. */
    stickiness?: { durationSeconds?: number };
    /** Target tracking (web, ha). Defaults to average CPU 40 %. */
    scaling?: ScalingSettings;
    /** On-demand base plus spot for the burst (ha). Defaults to all on-demand. */
    spot?: SpotSettings;
    /** DNS name of the environment; needs a hosted zone. Defaults to none (HTTP only on the ALB's name). */
    domain?: string;
    /** Public hosted zone for `domain`, looked up by name. Defaults to none. */
    hostedZoneName?: string;
    /** Dual-stack ALB plus an AAAA alias (needs an IPv6 VPC). Defaults to false. */
    dualStack?: boolean;
    /** Queue settings (worker). Defaults as documented on QueueSettings. */
    queue?: QueueSettings;
    /** Instance refresh MinHealthyPercentage. Defaults to 90 in ha mode, 100 (launch before terminate) in single mode. */
    minHealthyPercentage?: number;
    /** Variable name → Secrets Manager secret ARN or SSM parameter ARN, read at boot. Defaults to none. */
    secrets?: Record<string, string>;
}

/** What validation and defaults read: the options plus a few facts about the environment's references. */
export interface EnvironmentSettingsInput extends EnvironmentOptions {
    /** How many AZs the network spans. */
    availabilityZoneCount: number;
    /** A hosted zone id was given (its value may be unknown). */
    hasHostedZoneId?: boolean;
    /** The tier of the environment given as `worker`, when one is. */
    workerTier?: Tier;
    /** Names of plain environment variables, and the single-line check on plain (known) values. */
    environment?: Record<string, string | undefined>;
}

/** Every decision resolved. */
export interface EnvironmentSettings {
    tier: Tier;
    mode: Mode;
    production: boolean;
    instanceType: string;
    rootVolumeSizeGiB: number;
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
    port: number;
    healthCheckPath: string;
    healthCheckMatcher: string;
    healthCheckGracePeriodSeconds: number;
    deregistrationDelaySeconds: number;
    stickinessSeconds?: number;
    scaling: { metric: "cpu" | "requestCount"; target: number };
    minHealthyPercentage: number;
    maxHealthyPercentage: number;
    queue: Required<QueueSettings>;
}

/** dev → single, prod → ha, as in Elastic Beanstalk's deployment modes. */
export function defaultMode(environmentClass: EnvironmentClass | undefined): Mode {
    return environmentClass === "production" ? "ha" : "single";
}

/** Resolves every default. Assumes {@link validateEnvironmentSettings} passed. Pure. */
export function resolveEnvironmentSettings(input: EnvironmentSettingsInput): EnvironmentSettings {
    const mode = input.mode ?? defaultMode(input.environmentClass);
    const production = input.environmentClass === "production";
    const ha = mode === "ha";
    const minSize = input.minSize ?? (ha ? Math.max(2, input.availabilityZoneCount) : 1);
    const maxSize = input.maxSize ?? (ha ? Math.max(3 * Math.max(2, input.availabilityZoneCount), minSize) : 1);
    const metric = input.scaling?.metric ?? "cpu";
    return {
        tier: input.tier,
        mode,
        production,
        instanceType: input.instanceType ?? "t3.small",
        rootVolumeSizeGiB: input.rootVolumeSizeGiB ?? 20,
        minSize,
        maxSize,
        desiredCapacity: input.desiredCapacity ?? minSize,
        port: input.port ?? 8080,
        healthCheckPath: input.healthCheckPath ?? "/",
        healthCheckMatcher: input.healthCheckMatcher ?? "200-399",
        healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds ?? 300,
        deregistrationDelaySeconds: input.deregistrationDelaySeconds ?? 30,
        stickinessSeconds: input.stickiness ? (input.stickiness.durationSeconds ?? STICKINESS_DURATION.default) : undefined,
        scaling: { metric, target: input.scaling?.target ?? (metric === "cpu" ? DEFAULT_CPU_TARGET : 1000) },
        // One instance: launch the replacement before terminating the old one (max 200 %), so a
        // single-instance deployment has no gap; a group keeps 90 % healthy while it rolls.
        minHealthyPercentage: input.minHealthyPercentage ?? (ha ? 90 : 100),
        maxHealthyPercentage: ha ? 100 : 200,
        queue: {
            visibilityTimeoutSeconds: input.queue?.visibilityTimeoutSeconds ?? 300,
            maxReceiveCount: input.queue?.maxReceiveCount ?? 5,
            messageRetentionSeconds: input.queue?.messageRetentionSeconds ?? 345600,
            backlogPerInstance: input.queue?.backlogPerInstance ?? 10,
            oldestMessageAlarmSeconds: input.queue?.oldestMessageAlarmSeconds ?? 3600,
        },
    };
}

const isInt = (v: number) => Number.isInteger(v);
const inRange = (v: number | undefined, r: { min: number; max: number }) => v === undefined || (isInt(v) && v >= r.min && v <= r.max);

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const DOMAIN = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_ARN = /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:.+|ssm:[a-z0-9-]+:\d{12}:parameter\/.+)$/;

/**
 * Checks every argument and every impossible combination, collecting all problems with the name of
 * the offending argument. Pure; exported for tests and for the stack-config catalog.
 */
export function validateEnvironmentSettings(input: EnvironmentSettingsInput): ProblemCollector {
    const p = new ProblemCollector();
    const mode = input.mode ?? defaultMode(input.environmentClass);
    const web = input.tier === "web";
    const ha = mode === "ha";

    p.check(input.tier !== "web" && input.tier !== "worker", "tier", `must be "web" or "worker", got '${input.tier}'`);
    p.check(input.mode !== undefined && input.mode !== "single" && input.mode !== "ha", "mode", `must be "single" or "ha", got '${input.mode}'`);
    p.check(
        ha && input.availabilityZoneCount < ALB_MIN_AZS,
        "network.availabilityZones",
        `ha mode spreads the ${web ? "load balancer and " : ""}group over at least ${ALB_MIN_AZS} AZs (an ALB needs subnets in two); the network has ${input.availabilityZoneCount}`,
    );
    p.check(input.instanceType !== undefined && !INSTANCE_TYPE.test(input.instanceType), "instanceType", `expected an EC2 instance type such as t3.small, got '${input.instanceType}'`);
    if (input.instanceType !== undefined && INSTANCE_TYPE.test(input.instanceType)) {
        const unknown = ec2InstanceTypeProblem(input.instanceType);
        if (unknown) p.add("instanceType", unknown);
    }
    p.check(
        input.rootVolumeSizeGiB !== undefined && !inRange(input.rootVolumeSizeGiB, { min: 8, max: 16384 }),
        "rootVolumeSizeGiB",
        `gp3 volumes take 1-16384 GiB and the base image needs 8; got ${input.rootVolumeSizeGiB}`,
    );

    // Sizes.
    for (const key of ["minSize", "maxSize", "desiredCapacity"] as const) {
        const v = input[key];
        p.check(v !== undefined && (!isInt(v) || v < 0), key, `must be a whole number ≥ 0, got ${v}`);
    }
    if (mode === "single") {
        for (const key of ["minSize", "maxSize", "desiredCapacity"] as const) {
            const v = input[key];
            p.check(v !== undefined && v !== 1, key, `single mode runs exactly one instance; got ${key} ${v} (use mode "ha" to scale)`);
        }
    } else {
        const r = resolveEnvironmentSettings({ ...input, mode });
        p.check(r.maxSize < 1, "maxSize", `must be at least 1, got ${r.maxSize}`);
        p.check(r.minSize > r.maxSize, "minSize", `minSize ${r.minSize} is greater than maxSize ${r.maxSize}`);
        p.check(
            r.desiredCapacity < r.minSize || r.desiredCapacity > r.maxSize,
            "desiredCapacity",
            `must lie between minSize ${r.minSize} and maxSize ${r.maxSize}, got ${r.desiredCapacity}`,
        );
    }

    // Web-only settings on a worker, and load-balancer settings without a load balancer.
    const noLb = !web ? "a worker has no load balancer" : "single mode has no load balancer";
    if (!web) {
        p.check(input.domain !== undefined, "domain", "a worker environment is not reachable by clients and takes no domain");
        p.check(input.hasHostedZoneId === true || input.hostedZoneName !== undefined, "hostedZone", "a worker environment takes no hosted zone");
        p.check(input.port !== undefined, "port", "a worker has no inbound port: it polls its queue");
        p.check(input.workerTier !== undefined, "worker", "only a web environment can feed a worker environment");
        p.check(input.scaling !== undefined, "scaling", "a worker scales on its backlog per instance (queue.backlogPerInstance)");
    }
    if (!web || !ha) {
        p.check(input.stickiness !== undefined, "stickiness", `stickiness is a load-balancer cookie; ${noLb}`);
        p.check(input.healthCheckPath !== undefined, "healthCheckPath", `load-balancer health checks need a load balancer; ${noLb}`);
        p.check(input.healthCheckMatcher !== undefined, "healthCheckMatcher", `load-balancer health checks need a load balancer; ${noLb}`);
        p.check(input.deregistrationDelaySeconds !== undefined, "deregistrationDelaySeconds", `target deregistration needs a load balancer; ${noLb}`);
        p.check(input.dualStack === true, "dualStack", `dual-stack is a load-balancer setting; ${noLb}`);
        p.check(web && input.scaling?.metric === "requestCount", "scaling.metric", `requestCount scales on ALB requests per target; ${noLb}`);
    }
    if (!ha) {
        p.check(input.spot !== undefined, "spot", "single mode runs one on-demand instance; spot capacity needs mode \"ha\"");
        p.check(input.scaling !== undefined && web, "scaling", "single mode does not scale");
    }
    if (web) {
        p.check(input.queue !== undefined, "queue", "only a worker environment has a queue");
        p.check(input.workerTier !== undefined && input.workerTier !== "worker", "worker", `must be a worker-tier environment, got a ${input.workerTier} one`);
    }

    // Domain and zone.
    const hasZone = input.hasHostedZoneId === true || input.hostedZoneName !== undefined;
    if (web) {
        p.check(input.domain !== undefined && !hasZone, "domain", "a domain needs hostedZoneId or hostedZoneName to create its records and certificate");
        p.check(input.domain === undefined && hasZone, "hostedZone", "a hosted zone without a domain has nothing to point at the environment");
    }
    p.check(input.hasHostedZoneId === true && input.hostedZoneName !== undefined, "hostedZone", "give hostedZoneId or hostedZoneName, not both");
    p.check(input.domain !== undefined && !DOMAIN.test(input.domain), "domain", `not a lowercase DNS name: '${input.domain}'`);
    if (input.domain !== undefined && input.hostedZoneName !== undefined) {
        const zone = input.hostedZoneName.replace(/\.$/, "");
        p.check(input.domain !== zone && !input.domain.endsWith(`.${zone}`), "domain", `${input.domain} is not inside the hosted zone ${zone}`);
    }

    // AWS limits.
    p.check(input.port !== undefined && (!inRange(input.port, { min: 1, max: 65535 }) || input.port === 22), "port", `must be a TCP port 1-65535 other than 22 (no SSH), got ${input.port}`);
    p.check(input.healthCheckPath !== undefined && !/^\/\S{0,1023}$/.test(input.healthCheckPath), "healthCheckPath", `must start with '/' (max 1024 characters), got '${input.healthCheckPath}'`);
    p.check(
        input.healthCheckMatcher !== undefined && !/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(input.healthCheckMatcher),
        "healthCheckMatcher",
        `expected HTTP codes such as 200 or 200-399, got '${input.healthCheckMatcher}'`,
    );
    p.check(
        input.healthCheckGracePeriodSeconds !== undefined && !inRange(input.healthCheckGracePeriodSeconds, { min: 0, max: 7200 }),
        "healthCheckGracePeriodSeconds",
        `must be 0-7200 seconds, got ${input.healthCheckGracePeriodSeconds}`,
    );
    p.check(
        !inRange(input.deregistrationDelaySeconds, DEREGISTRATION_DELAY),
        "deregistrationDelaySeconds",
        `must be ${DEREGISTRATION_DELAY.min}-${DEREGISTRATION_DELAY.max} seconds, got ${input.deregistrationDelaySeconds}`,
    );
    p.check(
        !inRange(input.stickiness?.durationSeconds, STICKINESS_DURATION),
        "stickiness.durationSeconds",
        `must be ${STICKINESS_DURATION.min}-${STICKINESS_DURATION.max} seconds (one week), got ${input.stickiness?.durationSeconds}`,
    );
    p.check(
        !inRange(input.minHealthyPercentage, MIN_HEALTHY_PERCENTAGE),
        "minHealthyPercentage",
        `must be ${MIN_HEALTHY_PERCENTAGE.min}-${MIN_HEALTHY_PERCENTAGE.max}, got ${input.minHealthyPercentage}`,
    );
    if (input.scaling?.target !== undefined) {
        const t = input.scaling.target;
        const cpu = (input.scaling.metric ?? "cpu") === "cpu";
        p.check(!(t > 0) || (cpu && t > 100), "scaling.target", cpu ? `a CPU target must be in (0, 100], got ${t}` : `must be > 0, got ${t}`);
    }
    const q = input.queue;
    if (q) {
        p.check(!inRange(q.visibilityTimeoutSeconds, VISIBILITY_TIMEOUT), "queue.visibilityTimeoutSeconds", `must be ${VISIBILITY_TIMEOUT.min}-${VISIBILITY_TIMEOUT.max} seconds (12 h), got ${q.visibilityTimeoutSeconds}`);
        p.check(!inRange(q.maxReceiveCount, MAX_RECEIVE_COUNT), "queue.maxReceiveCount", `must be ${MAX_RECEIVE_COUNT.min}-${MAX_RECEIVE_COUNT.max}, got ${q.maxReceiveCount}`);
        p.check(!inRange(q.messageRetentionSeconds, MESSAGE_RETENTION), "queue.messageRetentionSeconds", `must be ${MESSAGE_RETENTION.min}-${MESSAGE_RETENTION.max} seconds, got ${q.messageRetentionSeconds}`);
        p.check(q.backlogPerInstance !== undefined && !(q.backlogPerInstance > 0), "queue.backlogPerInstance", `must be > 0, got ${q.backlogPerInstance}`);
        p.check(q.oldestMessageAlarmSeconds !== undefined && !(q.oldestMessageAlarmSeconds >= 60), "queue.oldestMessageAlarmSeconds", `must be ≥ 60 seconds, got ${q.oldestMessageAlarmSeconds}`);
    }
    if (input.spot) {
        const s = input.spot;
        const r = resolveEnvironmentSettings({ ...input, mode });
        p.check(
            s.onDemandBaseCapacity !== undefined && (!isInt(s.onDemandBaseCapacity) || s.onDemandBaseCapacity < 0 || s.onDemandBaseCapacity > r.maxSize),
            "spot.onDemandBaseCapacity",
            `must be a whole number from 0 to maxSize ${r.maxSize}, got ${s.onDemandBaseCapacity}`,
        );
        p.check(
            !inRange(s.onDemandPercentageAboveBaseCapacity, { min: 0, max: 100 }),
            "spot.onDemandPercentageAboveBaseCapacity",
            `must be 0-100, got ${s.onDemandPercentageAboveBaseCapacity}`,
        );
        for (const [i, t] of (s.instanceTypes ?? []).entries()) {
            p.check(!INSTANCE_TYPE.test(t), `spot.instanceTypes[${i}]`, `expected an EC2 instance type, got '${t}'`);
        }
    }

    // Environment variables and secrets.
    const names = new Set<string>();
    for (const [k, v] of Object.entries(input.environment ?? {})) {
        names.add(k);
        p.check(!ENV_NAME.test(k), `environment.${k}`, "variable names are letters, digits and '_', not starting with a digit");
        p.check((RESERVED_ENV as readonly string[]).includes(k), `environment.${k}`, `set by the platform (${RESERVED_ENV.join(", ")})`);
        p.check(v !== undefined && /[\r\n\0]/.test(v), `environment.${k}`, "values must be a single line");
    }
    for (const [k, arn] of Object.entries(input.secrets ?? {})) {
        p.check(!ENV_NAME.test(k), `secrets.${k}`, "variable names are letters, digits and '_', not starting with a digit");
        p.check((RESERVED_ENV as readonly string[]).includes(k) || names.has(k), `secrets.${k}`, "already set by the platform or by environment");
        p.check(!SECRET_ARN.test(arn), `secrets.${k}`, "must be the ARN of a Secrets Manager secret or an SSM parameter: secret values never go into the launch template");
    }
    return p;
}

/** Load balancer and target group names: at most 32 characters (elbv2 CreateLoadBalancer/CreateTargetGroup `Name`). */
export const ELB_NAME_MAX = 32;
/** Pulumi's auto-naming appends "-" and 7 random characters. */
const AUTONAME_SUFFIX = 8;

/**
 * Why an environment's name is too long for its load balancer (`<name>-alb`) or target group
 * (`<name>-tg`) once Pulumi's random suffix is added, or undefined. Only ha web environments have them. Pure.
 */
export function loadBalancerNameProblem(name: string, tier: Tier, mode: Mode): string | undefined {
    if (tier !== "web" || mode !== "ha") return undefined;
    const longest = `${name}-alb`.length + AUTONAME_SUFFIX;
    return longest > ELB_NAME_MAX
        ? `'${name}' makes a load balancer name of ${longest} characters (${name}-alb plus Pulumi's 8-character suffix); AWS allows ${ELB_NAME_MAX}: shorten the application or environment name to ${ELB_NAME_MAX - AUTONAME_SUFFIX - 4} characters together, hyphen included`
        : undefined;
}

