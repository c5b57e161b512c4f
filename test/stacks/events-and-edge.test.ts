import { expect } from "chai";
import * as aws from "@pulumi/aws";
import type { RecordedResource } from "../../plan/program";
import { Environment } from "../../components/environment";
import { Recorded, recordStack } from "../support/harness";
import { recordedStack } from "../support/stack-plans";
import { platform } from "../support/app-fixture";
import { allows, statementsOf } from "../support/iam";
import { T } from "../support/types";

/**
 * Worker event sources and the edge in the seed catalog (dev and prod): SNS fan-out, the thumbnails
 * bucket, a periodic task, each chained to exactly one queue and granted to exactly one role; WAF
 * and CloudFront in front of prod's web environments. Then FIFO workers.
 */

const SUB = "aws:sns/topicSubscription:TopicSubscription";
const TOPIC = "aws:sns/topic:Topic";
const QP = "aws:sqs/queuePolicy:QueuePolicy";
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const NOTIF = "aws:s3/bucketNotification:BucketNotification";
const ROLE = T.role;
const BUCKET = "aws:s3/bucket:Bucket";
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const LB = "aws:lb/loadBalancer:LoadBalancer";

const policyOf = (r: RecordedResource) => JSON.parse(String(r.inputs.policy)).Statement as Record<string, any>[];
const roleOf = (rec: Recorded, env: string) => rec.named(ROLE, `${env}-instance`);
/** The ARN of a queue, as the subscriptions and notifications that reference it see it. */
const queueArnOf = (rec: Recorded, env: string) => {
    const policy = policyOf(rec.named(QP, `${env}-queue-tls-only`));
    return policy[0].Resource as string;
};

for (const stack of ["dev", "prod"] as const) {
    describe(`event sources in the ${stack} seed catalog`, () => {
        let rec: Recorded;
        before(async function () {
            this.timeout(60000);
            rec = await recordedStack(stack);
        });

        it("myclothes fans order events out to both workers: raw delivery into each queue, undeliverable messages to its DLQ", () => {
            const topic = rec.named(TOPIC, "myclothes-order-events");
            expect(topic.propertyDependencies.kmsMasterKeyId).to.deep.equal([rec.named(T.kmsKey, "myclothes-key").urn]);
            const subs = rec.ofType(SUB).filter((s) => (s.propertyDependencies.topic ?? []).includes(topic.urn));
            expect(subs.map((s) => s.name).sort()).to.deep.equal(["myclothes-notifications-from-order-events", "myclothes-orders-from-order-events"]);
            for (const worker of ["orders", "notifications"]) {
                const s = rec.named(SUB, `myclothes-${worker}-from-order-events`);
                expect(s.inputs).to.include({ protocol: "sqs", rawMessageDelivery: true, endpoint: queueArnOf(rec, `myclothes-${worker}`) });
                expect(s.propertyDependencies.redrivePolicy).to.deep.equal([rec.named(T.queue, `myclothes-${worker}-dlq`).urn]);
            }
        });

        it("each subscribed queue (and its DLQ) admits SNS from that topic only; nothing else is allowed in", () => {
            const topicArn = rec.named(SUB, "myclothes-orders-from-order-events").inputs.topic;
            for (const worker of ["orders", "notifications"]) {
                for (const q of ["queue", "dlq"]) {
                    const allowsIn = policyOf(rec.named(QP, `myclothes-${worker}-${q}-tls-only`)).filter((s) => s.Effect === "Allow");
                    expect(allowsIn, `${worker} ${q}`).to.deep.equal([
                        { Sid: "FromSubscribedTopics", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: allowsIn[0]?.Resource, Condition: { ArnEquals: { "aws:SourceArn": [topicArn] } } },
                    ]);
                }
            }
            const web = policyOf(rec.named(QP, "mywordpress-thumbnails-dlq-tls-only")).filter((s) => s.Effect === "Allow");
            expect(web, "a DLQ with no subscription admits no one").to.deep.equal([]);
        });

        it("only the web role may publish to the topic; only each worker's role consumes its own queue", () => {
            const topicArn = String(rec.named(SUB, "myclothes-orders-from-order-events").inputs.topic);
            const roles = ["myclothes-web", "myclothes-orders", "myclothes-notifications", "mywordpress-web", "mywordpress-thumbnails", "whatisthetime-web"];
            const publishers = roles.filter((r) => allows(statementsOf(rec, roleOf(rec, r)), "sns:Publish", topicArn));
            expect(publishers).to.deep.equal(["myclothes-web"]);
            for (const worker of ["myclothes-orders", "myclothes-notifications", "mywordpress-thumbnails"]) {
                const consumers = roles.filter((r) => allows(statementsOf(rec, roleOf(rec, r)), "sqs:ReceiveMessage", queueArnOf(rec, worker)));
                expect(consumers, worker).to.deep.equal([worker]);
            }
        });

        it("the periodic task is posted by EventBridge Scheduler under a role that may only send to that queue", () => {
            const schedule = rec.named(SCHEDULE, "myclothes-notifications-daily-digest");
            const queueArn = queueArnOf(rec, "myclothes-notifications");
            expect(schedule.inputs).to.include({ scheduleExpression: "cron(0 6 * * ? *)", scheduleExpressionTimezone: "UTC" });
            expect((schedule.inputs.target as Record<string, unknown>).arn).to.equal(queueArn);
            expect((schedule.inputs.target as Record<string, unknown>).input).to.equal('{"task":"daily-digest"}');
            const role = rec.named(ROLE, "myclothes-notifications-scheduler");
            expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).to.deep.equal({ Service: "scheduler.amazonaws.com" });
            const st = statementsOf(rec, role);
            expect(allows(st, "sqs:SendMessage", queueArn)).to.equal(true);
            expect(allows(st, "sqs:SendMessage", queueArnOf(rec, "myclothes-orders")), "not another queue").to.equal(false);
            expect(allows(st, "sqs:ReceiveMessage", queueArn), "not consume").to.equal(false);
            expect(st.flatMap((s) => [s.Action].flat()).sort()).to.deep.equal(["kms:Decrypt", "kms:GenerateDataKey", "sqs:SendMessage"]);
        });

        it("thumbnails: the application's private, encrypted uploads bucket notifies the worker's queue for .jpg and .png under images/", () => {
            const bucket = rec.named(BUCKET, "mywordpress-uploads");
            const onBucket = (type: string) => rec.ofType(type).filter((r) => (r.propertyDependencies.bucket ?? []).includes(bucket.urn));
            expect(onBucket(PUBLIC_ACCESS_BLOCK)[0].inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            const sse = onBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0];
            expect(sse.propertyDependencies.rules).to.deep.equal([rec.named(T.kmsKey, "mywordpress-key").urn]);
            const notification = rec.named(NOTIF, "mywordpress-uploads");
            const queueArn = queueArnOf(rec, "mywordpress-thumbnails");
            expect((notification.inputs.queues as Record<string, unknown>[]).map((q) => [q.queueArn, q.events, q.filterPrefix, q.filterSuffix])).to.deep.equal([
                [queueArn, ["s3:ObjectCreated:*"], "images/", ".jpg"],
                [queueArn, ["s3:ObjectCreated:*"], "images/", ".png"],
            ]);
            const admitted = policyOf(rec.named(QP, "mywordpress-thumbnails-queue-tls-only")).filter((s) => s.Effect === "Allow");
            expect(admitted.map((s) => [s.Principal, s.Condition.StringEquals["aws:SourceAccount"] !== undefined])).to.deep.equal([[{ Service: "s3.amazonaws.com" }, true]]);
            const bucketArn = admitted[0].Condition.ArnEquals["aws:SourceArn"][0];
            expect(allows(statementsOf(rec, roleOf(rec, "mywordpress-web")), "s3:PutObject", `${bucketArn}/images/a.jpg`), "the web uploads").to.equal(true);
            expect(allows(statementsOf(rec, roleOf(rec, "mywordpress-thumbnails")), "s3:GetObject", `${bucketArn}/images/a.jpg`), "the worker reads").to.equal(true);
            expect(allows(statementsOf(rec, roleOf(rec, "mywordpress-thumbnails")), "s3:PutObject", `${bucketArn}/images/a.jpg`), "but does not write").to.equal(false);
        });

        it("the application keys admit SNS and S3 into their encrypted queues, for this account only", () => {
            const statement = (app: string) => JSON.parse(String(rec.named(T.kmsKey, `${app}-key`).inputs.policy)).Statement.find((s: { Sid: string }) => s.Sid === "ServicesSendToEncryptedQueues");
            expect(statement("myclothes").Principal).to.deep.equal({ Service: ["sns.amazonaws.com"] });
            expect(statement("mywordpress").Principal).to.deep.equal({ Service: ["s3.amazonaws.com"] });
            expect(statement("mywordpress").Condition.StringEquals).to.have.key("aws:SourceAccount");
            expect(statement("whatisthetime"), "no sources, no grant").to.equal(undefined);
        });
    });
}

describe("the edge in the prod seed catalog", () => {
    let rec: Recorded;
    before(async function () {
        this.timeout(60000);
        rec = await recordedStack("prod");
    });

    it("WAF: a REGIONAL web ACL on each web load balancer, AWS common rule set by default, the rate limit asked for", () => {
        for (const env of ["myclothes-web", "mywordpress-web", "whatisthetime-web"]) {
            const acl = rec.named("aws:wafv2/webAcl:WebAcl", `${env}-waf`);
            expect(acl.inputs.scope).to.equal("REGIONAL");
            const rules = acl.inputs.rules as Record<string, any>[];
            expect(rules.map((r) => r.statement.managedRuleGroupStatement?.name).filter(Boolean)).to.deep.equal(["AWSManagedRulesCommonRuleSet"]);
            const assoc = rec.named("aws:wafv2/webAclAssociation:WebAclAssociation", `${env}-waf`);
            expect(assoc.propertyDependencies.resourceArn).to.deep.equal([rec.named(LB, `${env}-alb`).urn]);
        }
        const rate = (rec.named("aws:wafv2/webAcl:WebAcl", "myclothes-web-waf").inputs.rules as Record<string, any>[]).find((r) => r.name === "rate-limit")!;
        expect(rate.statement.rateBasedStatement).to.include({ limit: 2000, aggregateKeyType: "IP" });
        expect(rate.action).to.deep.equal({ block: {} });
    });

    it("CloudFront: HTTPS to the load balancer, a us-east-1 certificate, the alias on the distribution, the ALB open to CloudFront only", () => {
        const dist = rec.named("aws:cloudfront/distribution:Distribution", "whatisthetime-web-cdn");
        const origin = (dist.inputs.origins as Record<string, any>[])[0];
        expect(origin.customOriginConfig).to.include({ originProtocolPolicy: "https-only", httpsPort: 443 });
        expect(dist.propertyDependencies.origins).to.deep.equal([rec.named(LB, "whatisthetime-web-alb").urn]);
        expect(dist.inputs).to.include({ priceClass: "PriceClass_100" });
        expect((dist.inputs.aliases as string[])).to.deep.equal(["whatisthetime.example.com"]);
        expect(rec.named("aws:acm/certificate:Certificate", "whatisthetime-web-cdn-cert").provider?.region).to.equal("us-east-1");
        const alb = rec.named(T.securityGroup, "whatisthetime-web-alb");
        const ingress = rec.ofType(T.ingressRule).filter((r) => r.inputs.securityGroupId === alb.id);
        expect(ingress.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 ?? null, typeof r.inputs.prefixListId])).to.deep.equal([[443, null, "string"]]);
        // The other web environments stay open to the world on 80/443 (their WAF filters).
        const open = rec.ofType(T.ingressRule).filter((r) => r.inputs.securityGroupId === rec.named(T.securityGroup, "myclothes-web-alb").id);
        expect(open.every((r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0")).to.equal(true);
    });
});

describe("address blocking at the subnet level (prod)", () => {
    it("a network ACL on every public subnet denies the blocked range first, then allows all traffic both ways", async () => {
        const rec = await recordedStack("prod");
        const acl = rec.named("aws:ec2/networkAcl:NetworkAcl", "platform-public-block");
        expect(acl.propertyDependencies.subnetIds).to.deep.equal([rec.named("awsx:ec2:Vpc", "platform-vpc").urn]);
        const ingress = (acl.inputs.ingress as Record<string, unknown>[]).map((r) => [r.ruleNo, r.action, r.cidrBlock ?? r.ipv6CidrBlock]);
        expect(ingress).to.deep.equal([[100, "deny", "198.51.100.0/24"], [32000, "allow", "0.0.0.0/0"], [32001, "allow", "::/0"]]);
        expect((acl.inputs.egress as Record<string, unknown>[]).map((r) => r.action)).to.deep.equal(["allow", "allow"]);
        const dev = await recordedStack("dev");
        expect(dev.ofType("aws:ec2/networkAcl:NetworkAcl"), "none without blockIps").to.deep.equal([]);
    });
});

describe("Environment: a FIFO worker", () => {
    let rec: Recorded;
    before(async () => {
        rec = await recordStack(() => {
            const { network, application, version } = platform();
            const topic = new aws.sns.Topic("events.fifo", { fifoTopic: true, kmsMasterKeyId: application.kmsKeyArn }, { parent: application });
            new Environment(
                "shop-jobs",
                {
                    network,
                    application,
                    version,
                    tier: "worker",
                    fifo: true,
                    queue: { maxReceiveCount: 3 },
                    events: { topics: [{ name: "events", arn: topic.arn, fifo: true }], schedules: [{ name: "tick", expression: "rate(5 minutes)" }] },
                },
                { parent: application },
            );
        });
    });

    it("has a FIFO queue and a FIFO dead-letter queue (content-based deduplication, names ending .fifo), after maxReceiveCount receives", () => {
        const queue = rec.named(T.queue, "shop-jobs-queue");
        const dlq = rec.named(T.queue, "shop-jobs-dlq");
        for (const q of [queue, dlq]) {
            expect(q.inputs).to.include({ fifoQueue: true, contentBasedDeduplication: true });
            expect(String(q.inputs.name)).to.match(/^shop-jobs-test-(queue|dlq)\.fifo$/);
            expect(String(q.inputs.name).length).to.be.at.most(80);
        }
        expect(JSON.parse(String(queue.inputs.redrivePolicy)).maxReceiveCount).to.equal(3);
    });

    it("gives periodic tasks on a FIFO queue a message group", () => {
        expect((rec.named(SCHEDULE, "shop-jobs-tick").inputs.target as Record<string, any>).sqsParameters).to.deep.equal({ messageGroupId: "tick" });
    });

    it("refuses a standard topic, S3 events and a bad schedule on a FIFO queue, all at once and before any child", async () => {
        let message = "";
        try {
            await recordStack(() => {
                const { network, application, version } = platform();
                new Environment(
                    "shop-bad",
                    {
                        network,
                        application,
                        version,
                        tier: "worker",
                        fifo: true,
                        events: {
                            topics: [{ name: "std", arn: "arn:aws:sns:us-east-1:1:std", fifo: false }],
                            buckets: [{ bucket: { name: "b", arn: "arn:aws:s3:::b" } }],
                            schedules: [{ name: "t", expression: "rate(1 minutes)" }],
                        },
                    },
                    { parent: application },
                );
            });
        } catch (e) {
            message = String(e);
        }
        expect(message).to.match(/subscribe\[0\]: topic 'std' is standard but the queue is FIFO/);
        expect(message).to.match(/s3Events\[0\]: S3 event notifications cannot be delivered to a FIFO queue/);
        expect(message).to.match(/schedule\[0\]: use the singular unit for 1/);
    });
});
