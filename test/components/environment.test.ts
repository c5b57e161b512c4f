import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../../components/environment";
import { TLS_POLICY } from "../../components/environment-settings";
import { Recorded, recordStack } from "../support/harness";
import { asList, Captured, platform, policyOf } from "../support/app-fixture";

const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    asg: "aws:autoscaling/group:Group",
    policy: "aws:autoscaling/policy:Policy",
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    queue: "aws:sqs/queue:Queue",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    record: "aws:route53/record:Record",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    eip: "aws:ec2/eip:Eip",
    kms: "aws:kms/key:Key",
};

const ingressOf = (rec: Recorded, sgName: string) => {
    const sg = rec.named(T.sg, sgName);
    return rec.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === sg.id);
};
const userDataOf = (rec: Recorded, name: string) => Buffer.from(String(rec.named(T.lt, name).inputs.userData), "base64").toString();

describe("Environment: web, high availability", () => {
    let rec: Recorded;
    let subnets: Captured;
    before(async () => {
        rec = await recordStack(() => {
            const { network, application, version, captured } = platform();
            subnets = captured;
            new Environment("shop-web", { network, application, version, tier: "web", port: 3000 }, { parent: application });
        });
    });

    it("admits only the load balancer's group into the instances, on the app port", () => {
        const alb = rec.named(T.sg, "shop-web-alb");
        const rules = ingressOf(rec, "shop-web-instances");
        expect(rules).to.have.length(1);
        expect(rules[0].inputs).to.include({ referencedSecurityGroupId: alb.id, ipProtocol: "tcp", fromPort: 3000, toPort: 3000 });
        expect(rules[0].inputs).to.not.have.any.keys("cidrIpv4", "cidrIpv6");
    });

    it("opens the load balancer to the world on 80 and 443 only", () => {
        const ports = ingressOf(rec, "shop-web-alb").map((r) => [r.inputs.fromPort, r.inputs.toPort]);
        expect(ports).to.have.deep.members([[80, 80], [80, 80], [443, 443], [443, 443]]);
    });

    it("spans every AZ: the ALB in every public subnet, the group in every private subnet", () => {
        expect(subnets.publicSubnetIds).to.have.length(3);
        expect(rec.named(T.lb, "shop-web-alb").inputs.subnets).to.deep.equal(subnets.publicSubnetIds);
        const asg = rec.named(T.asg, "shop-web-asg");
        expect(asg.inputs.vpcZoneIdentifiers).to.deep.equal(subnets.privateSubnetIds);
        expect(asg.inputs).to.include({ healthCheckType: "ELB", minSize: 3, desiredCapacity: 3, maxSize: 9 });
        expect(asg.inputs.targetGroupArns).to.deep.equal([rec.named(T.tg, "shop-web-tg").id]);
    });

    it("protects and hardens the production load balancer", () => {
        expect(rec.named(T.lb, "shop-web-alb").inputs).to.include({ internal: false, enableDeletionProtection: true, dropInvalidHeaderFields: true });
    });

    it("serves HTTP only when no domain is configured", () => {
        const listeners = rec.ofType(T.listener);
        expect(listeners.map((l) => l.inputs.port)).to.deep.equal([80]);
        expect((listeners[0].inputs.defaultActions as { type: string }[])[0].type).to.equal("forward");
    });

    it("requires IMDSv2, encrypts the gp3 root with the application's key and allows no SSH key", () => {
        const lt = rec.named(T.lt, "shop-web-lt").inputs as Record<string, any>;
        expect(lt.metadataOptions).to.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
        const key = rec.named(T.kms, "shop-key");
        expect(lt.blockDeviceMappings[0].ebs).to.include({ volumeType: "gp3", encrypted: "true", kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${key.id}` });
        expect(lt).to.not.have.property("keyName");
        expect(rec.ofType(T.ingress).filter((r) => r.inputs.fromPort === 22)).to.be.empty;
    });

    it("tracks CPU (40 %) by default", () => {
        const policy = rec.named(T.policy, "shop-web-scaling").inputs as Record<string, any>;
        expect(policy.policyType).to.equal("TargetTrackingScaling");
        expect(policy.targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType).to.equal("ASGAverageCPUUtilization");
        expect(policy.targetTrackingConfiguration.targetValue).to.equal(40);
    });

    it("lets instances out on HTTPS only", () => {
        const sg = rec.named(T.sg, "shop-web-instances");
        const out = rec.ofType(T.egress).filter((r) => r.inputs.securityGroupId === sg.id);
        expect(out.map((r) => r.inputs.fromPort)).to.deep.equal([443]);
    });
});

describe("Environment: web with a domain", () => {
    let rec: Recorded;
    before(async () => {
        rec = await recordStack(() => {
            const { network, application, version } = platform();
            new Environment(
                "shop-web",
                { network, application, version, tier: "web", domain: "shop.example.com", hostedZoneId: "Z0123456789ABC", stickiness: { durationSeconds: 3600 }, scaling: { metric: "requestCount", target: 500 } },
                { parent: application },
            );
        });
    });

    it("redirects HTTP to an HTTPS listener with the current TLS 1.3 policy and a validated certificate", () => {
        const http = rec.named(T.listener, "shop-web-http").inputs as Record<string, any>;
        expect(http.defaultActions[0]).to.deep.include({ type: "redirect" });
        expect(http.defaultActions[0].redirect).to.include({ protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
        const https = rec.named(T.listener, "shop-web-https");
        expect(https.inputs).to.include({ port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY });
        expect(https.propertyDependencies.certificateArn).to.include(rec.named("aws:acm/certificateValidation:CertificateValidation", "shop-web-cert").urn);
    });

    it("points an alias A record (not a CNAME) at the load balancer", () => {
        const alb = rec.named(T.lb, "shop-web-alb");
        const a = rec.named(T.record, "shop-web-alias-a").inputs as Record<string, any>;
        expect(a).to.include({ type: "A", name: "shop.example.com", zoneId: "Z0123456789ABC" });
        expect(a.aliases[0]).to.include({ evaluateTargetHealth: true, zoneId: "Z35SXDOTRQ7X7K" });
        expect(a.aliases[0].name).to.match(/elb\.amazonaws\.com$/);
        expect(rec.named(T.record, "shop-web-alias-a").propertyDependencies["aliases"]).to.include(alb.urn);
    });

    it("sets duration-cookie stickiness and scales on requests per target", () => {
        expect(rec.named(T.tg, "shop-web-tg").inputs.stickiness).to.deep.equal({ enabled: true, type: "lb_cookie", cookieDuration: 3600 });
        const tt = (rec.named(T.policy, "shop-web-scaling").inputs as Record<string, any>).targetTrackingConfiguration;
        expect(tt.predefinedMetricSpecification.predefinedMetricType).to.equal("ALBRequestCountPerTarget");
        expect(tt.predefinedMetricSpecification.resourceLabel).to.match(/^app\/.+\/targetgroup\/.+/);
    });
});

describe("Environment: worker fed by a web environment", () => {
    let rec: Recorded;
    before(async () => {
        rec = await recordStack(() => {
            const { network, application, version } = platform();
            const jobs = new Environment("shop-jobs", { network, application, version, tier: "worker" }, { parent: application });
            new Environment("shop-web", { network, application, version, tier: "web", worker: jobs }, { parent: application });
        });
    });

    it("has no inbound rule at all and no load balancer", () => {
        expect(ingressOf(rec, "shop-jobs-instances")).to.be.empty;
        expect(rec.named(T.asg, "shop-jobs-asg").inputs.targetGroupArns).to.deep.equal([]);
        expect(rec.ofType(T.lb)).to.have.length(1); // the web environment's only
    });

    it("sends a message to the dead-letter queue after 5 receives, and alarms when it is not empty", () => {
        const queue = rec.named(T.queue, "shop-jobs-queue");
        const dlq = rec.named(T.queue, "shop-jobs-dlq");
        const redrive = JSON.parse(String(queue.inputs.redrivePolicy));
        expect(redrive.maxReceiveCount).to.equal(5);
        expect(redrive.deadLetterTargetArn).to.match(/^arn:aws:sqs:us-east-1:\d{12}:shop-jobs-dlq/);
        expect(queue.propertyDependencies.redrivePolicy).to.include(dlq.urn);
        expect(String(queue.inputs.kmsMasterKeyId)).to.match(/^arn:aws:kms:/);
        const alarm = rec.named(T.alarm, "shop-jobs-dlq-not-empty").inputs as Record<string, any>;
        expect(alarm).to.include({ metricName: "ApproximateNumberOfMessagesVisible", threshold: 0, comparisonOperator: "GreaterThanThreshold" });
        expect(alarm.dimensions.QueueName).to.match(/^shop-jobs-dlq/);
    });

    it("scales on backlog per instance: the queue's visible messages over in-service instances", () => {
        const queue = rec.named(T.queue, "shop-jobs-queue");
        const tt = (rec.named(T.policy, "shop-jobs-scaling").inputs as Record<string, any>).targetTrackingConfiguration;
        expect(tt.targetValue).to.equal(10);
        const metrics = tt.customizedMetricSpecification.metrics as Record<string, any>[];
        const visible = metrics.find((m) => m.metricStat?.metric.metricName === "ApproximateNumberOfMessagesVisible")!;
        const inService = metrics.find((m) => m.metricStat?.metric.metricName === "GroupInServiceInstances")!;
        const expr = metrics.find((m) => m.returnData === true)!;
        expect(visible.metricStat.metric.dimensions).to.deep.equal([{ name: "QueueName", value: (queue.id as string).split("/").pop() }]);
        expect(inService.metricStat.metric.dimensions[0].value).to.equal(rec.named(T.asg, "shop-jobs-asg").id);
        expect(expr.expression).to.equal(`${visible.id} / ${inService.id}`);
        expect(rec.named(T.asg, "shop-jobs-asg").inputs.enabledMetrics).to.include("GroupInServiceInstances");
    });

    it("gives the web environment sqs:SendMessage on that queue alone, and its URL", () => {
        const queue = rec.named(T.queue, "shop-jobs-queue");
        const send = policyOf(rec.named(T.rolePolicy, "shop-web-send-to-worker").inputs);
        const sqs = send.Statement.filter((s) => asList(s.Action).some((a) => a.startsWith("sqs:")));
        expect(sqs).to.have.length(1);
        expect(sqs[0].Action).to.equal("sqs:SendMessage");
        expect(sqs[0].Resource).to.equal(`arn:aws:sqs:us-east-1:123456789012:${(queue.id as string).split("/").pop()}`);
        expect(userDataOf(rec, "shop-web-lt")).to.include(`WORKER_QUEUE_URL="${queue.id}"`);
        expect(userDataOf(rec, "shop-jobs-lt")).to.include(`QUEUE_URL="${queue.id}"`);
    });

    it("lets the worker consume its own queue and nothing else", () => {
        const consume = policyOf(rec.named(T.rolePolicy, "shop-jobs-consume").inputs);
        const resources = consume.Statement.flatMap((s) => asList(s.Resource));
        expect(resources.every((r) => !r.includes("*"))).to.equal(true);
        expect(consume.Statement.flatMap((s) => asList(s.Action))).to.not.include("sqs:SendMessage");
    });
});

describe("Environment: web, single instance", () => {
    let rec: Recorded;
    let subnets: Captured;
    before(async () => {
        rec = await recordStack(() => {
            const { network, application, version, captured } = platform({ azCount: 2, environmentClass: "development" });
            subnets = captured;
            new Environment("shop-web", { network, application, version, tier: "web" }, { parent: application });
        });
    });

    it("defaults to single mode in development: an Elastic IP and no load balancer", () => {
        expect(rec.ofType(T.eip)).to.have.length(1);
        expect(rec.ofType(T.lb)).to.be.empty;
        expect(rec.ofType(T.tg)).to.be.empty;
    });

    it("heals itself: a group of exactly one over two AZs that takes over the Elastic IP at boot", () => {
        const asg = rec.named(T.asg, "shop-web-asg");
        expect(asg.inputs).to.include({ minSize: 1, maxSize: 1, desiredCapacity: 1, healthCheckType: "EC2" });
        expect(asg.inputs.vpcZoneIdentifiers).to.deep.equal(subnets.publicSubnetIds.slice(0, 2));
        expect(subnets.publicSubnetIds).to.have.length(2);
        const eip = rec.named(T.eip, "shop-web-eip");
        expect(userDataOf(rec, "shop-web-lt")).to.include(`associate-address --allocation-id '${eip.id}'`);
        const take = policyOf(rec.named(T.rolePolicy, "shop-web-take-over-eip").inputs);
        expect(take.Statement.flatMap((s) => asList(s.Action))).to.deep.equal(["ec2:AssociateAddress", "ec2:AssociateAddress"]);
    });

    it("opens the instance to the world on 80 and 443 only", () => {
        const ports = ingressOf(rec, "shop-web-instances").map((r) => r.inputs.fromPort);
        expect([...new Set(ports)].sort()).to.deep.equal([443, 80].sort());
    });

    it("launches the replacement before terminating the old instance on deployment", () => {
        const refresh = (rec.named(T.asg, "shop-web-asg").inputs as Record<string, any>).instanceRefresh;
        expect(refresh.preferences).to.include({ minHealthyPercentage: 100, maxHealthyPercentage: 200 });
    });
});

describe("Environment: deployments", () => {
    const deploy = (label: string, ami: string) =>
        recordStack(() => {
            const { network, application, version } = platform({ label, source: { ami } });
            new Environment("shop-web", { network, application, version, tier: "web" }, { parent: application });
        });

    it("a new version changes the launch template and rolls the group through an instance refresh, never replacing it", async () => {
        const v1 = await deploy("v1", "ami-0123456789abcdef0");
        const v2 = await deploy("v2", "ami-0fedcba9876543210");
        const lt1 = v1.named(T.lt, "shop-web-lt");
        const lt2 = v2.named(T.lt, "shop-web-lt");
        expect(lt1.urn).to.equal(lt2.urn);
        expect(lt1.inputs.imageId).to.equal("ami-0123456789abcdef0");
        expect(lt2.inputs.imageId).to.equal("ami-0fedcba9876543210");
        expect(lt1.inputs.userData).to.not.equal(lt2.inputs.userData);

        const asg1 = v1.named(T.asg, "shop-web-asg");
        const asg2 = v2.named(T.asg, "shop-web-asg");
        // Same URN and same inputs: the group is updated in place (its launch template version), not replaced.
        expect(asg1.urn).to.equal(asg2.urn);
        expect(asg1.inputs).to.deep.equal(asg2.inputs);
        expect(asg1.inputs).to.not.have.any.keys("name", "namePrefix");
        expect(asg1.inputs.instanceRefresh).to.deep.include({ strategy: "Rolling" });
        expect((asg1.inputs.instanceRefresh as any).preferences.minHealthyPercentage).to.equal(90);
        expect(asg1.inputs.launchTemplate).to.deep.equal({ id: lt1.id, version: "1" });
        expect(asg1.propertyDependencies.launchTemplate).to.include(lt1.urn);
    });

    it("uses the latest Amazon Linux 2023 from its public SSM parameter when the version has no AMI", async () => {
        const rec = await recordStack(() => {
            const { network, application, version } = platform({ source: { path: "test/fixtures/bundle" } });
            new Environment("shop-web", { network, application, version, tier: "web" }, { parent: application });
        });
        expect(rec.run.invokes["aws:ssm/getParameter:getParameter"]).to.equal(1);
        expect(String(rec.named(T.lt, "shop-web-lt").inputs.imageId)).to.match(/^ami-0[0-9a-f]{16}$/);
        const object = rec.named("aws:s3/bucketObjectv2:BucketObjectv2", "shop-v1-bundle");
        expect(object.inputs).to.include({ key: "versions/v1.zip", serverSideEncryption: "aws:kms" });
        expect(userDataOf(rec, "shop-web-lt")).to.match(/get-object --bucket 'shop-bundles-[0-9a-f]+' --key 'versions\/v1.zip' --version-id '[0-9a-f]+'/);
    });
});

describe("Environment: spot for the burst", () => {
    it("reserves an on-demand base and runs the capacity above it on spot across the given types", async () => {
        const rec = await recordStack(() => {
            const { network, application, version } = platform();
            new Environment(
                "shop-web",
                { network, application, version, tier: "web", spot: { onDemandBaseCapacity: 3, instanceTypes: ["t3.small", "t3a.small"] } },
                { parent: application },
            );
        });
        const asg = rec.named(T.asg, "shop-web-asg").inputs as Record<string, any>;
        expect(asg).to.not.have.property("launchTemplate");
        expect(asg.mixedInstancesPolicy.instancesDistribution).to.include({ onDemandBaseCapacity: 3, onDemandPercentageAboveBaseCapacity: 0 });
        expect(asg.mixedInstancesPolicy.launchTemplate.overrides.map((o: { instanceType: string }) => o.instanceType)).to.deep.equal(["t3.small", "t3a.small"]);
        expect(asg.mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId).to.equal(rec.named(T.lt, "shop-web-lt").id);
        expect(asg.instanceRefresh.strategy).to.equal("Rolling");
    });
});

describe("Environment: validation", () => {
    it("fails before registering any child, naming every offending field", async () => {
        let error: unknown;
        const rec = await recordStack(() => {
            const { network, application, version } = platform({ environmentClass: "development" });
            try {
                new Environment("bad", { network, application, version, tier: "worker", maxSize: 3, domain: "x.example.com", stickiness: {} }, { parent: application });
            } catch (e) {
                error = e;
            }
        });
        expect(error).to.be.instanceOf(pulumi.InputPropertiesError);
        const paths = (error as any).errors.map((e: { propertyPath: string }) => e.propertyPath);
        expect(paths).to.include.members(["maxSize", "domain", "stickiness"]);
        const env = rec.resources.find((r) => r.type === "platform:application:Environment");
        expect(env, "the component itself is registered by its constructor").to.not.equal(undefined);
        expect(rec.childrenOf(env!.urn)).to.be.empty;
    });
});

describe("Environment: its own instance role, and what it exposes", () => {
    it("runs under its own role and profile, holding the application's shared policy; adopts an earlier role through aliases", async () => {
        const aliases = new Map<string, unknown[]>();
        let env: Environment | undefined;
        const rec = await recordStack(() => {
            pulumi.runtime.registerStackTransformation((t) => {
                if (t.opts.aliases?.length) aliases.set(`${t.type}::${t.name}`, t.opts.aliases as unknown[]);
                return undefined;
            });
            const { network, application, version } = platform();
            env = new Environment("shop-web", { network, application, version, tier: "web", instanceRoleAliases: [{ name: "shop-instance" }] }, { parent: application });
        });
        const role = rec.named("aws:iam/role:Role", "shop-web-instance");
        expect(rec.byUrn(role.parent!)?.name).to.equal("shop-web");
        expect(role.inputs.tags).to.include({ "platform:application": "shop", "platform:environment": "shop-web" });
        const profile = rec.named("aws:iam/instanceProfile:InstanceProfile", "shop-web-instance");
        expect(profile.propertyDependencies.role).to.deep.equal([role.urn]);
        expect(rec.named(T.lt, "shop-web-lt").propertyDependencies.iamInstanceProfile).to.deep.equal([profile.urn]);
        const shared = rec.named("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "shop-web-shared");
        expect(shared.propertyDependencies.policyArn).to.deep.equal([rec.named("aws:iam/policy:Policy", "shop-instance-base").urn]);
        expect(aliases.get("aws:iam/role:Role::shop-web-instance")).to.deep.equal([{ name: "shop-instance" }]);
        expect(aliases.get("aws:iam/instanceProfile:InstanceProfile::shop-web-instance")).to.deep.equal([{ name: "shop-instance" }]);
        // Teams extend the environment through what it exposes.
        expect(env!.instanceRole).to.be.instanceOf(pulumi.CustomResource);
        expect(env!.loadBalancer).to.be.instanceOf(pulumi.CustomResource);
        expect(env!.targetGroup).to.be.instanceOf(pulumi.CustomResource);
        expect(env!.listeners).to.have.length(1);
    });
});

describe("Environment: base image", () => {
    it("keeps the image it was created with unless the version brings a golden AMI", async () => {
        const rec = await recordStack(() => {
            const bundle = platform({ source: { path: "test/fixtures/bundle" } });
            new Environment("shop-web", { network: bundle.network, application: bundle.application, version: bundle.version, tier: "web" }, { parent: bundle.application });
        });
        expect(rec.named(T.lt, "shop-web-lt").options.ignoreChanges).to.deep.equal(["imageId"]);
        const golden = await recordStack(() => {
            const { network, application, version } = platform();
            new Environment("shop-web", { network, application, version, tier: "web" }, { parent: application });
        });
        expect(golden.named(T.lt, "shop-web-lt").options.ignoreChanges ?? []).to.deep.equal([]);
        expect(golden.named(T.lt, "shop-web-lt").inputs.imageId).to.equal("ami-0123456789abcdef0");
    });
});
