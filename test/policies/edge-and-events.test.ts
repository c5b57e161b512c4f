import { expect } from "chai";
import * as path from "node:path";
import { runPlan, PlanResult } from "../../plan/index";
import { stackPlan, REPO } from "../support/stack-plans";
import { Spec, U, evaluate, lines } from "./support";

/**
 * The pack's rules for event sources and the edge: encrypted topics, queue policies that never admit
 * anyone, and (advisory, production) internet-facing load balancers behind WAF or CloudFront. Every
 * case with ids known (a plan, `pulumi up`) and unknown (`pulumi preview` of a new stack).
 */

const LB = "aws:lb/loadBalancer:LoadBalancer";
const ASSOC = "aws:wafv2/webAclAssociation:WebAclAssociation";
const DIST = "aws:cloudfront/distribution:Distribution";
const QP = "aws:sqs/queuePolicy:QueuePolicy";
const ONLY_EDGE = { only: ["internet-alb-edge-protection"] };

const tlsDeny = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "q", Condition: { Bool: { "aws:SecureTransport": "false" } } };
const queuePolicy = (name: string, ...statements: Record<string, unknown>[]): Spec => ({
    type: QP,
    name,
    props: { queueUrl: U, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) },
});

describe("policies: event sources and the edge", () => {
    describe("sns-topic-encrypted", () => {
        it("accepts a topic with a key, known or not yet known, and flags one without", async () => {
            for (const key of ["arn:aws:kms:us-east-1:111122223333:key/1", U]) {
                expect(await evaluate([{ type: "aws:sns/topic:Topic", name: "orders", props: { kmsMasterKeyId: key } }], { only: ["sns-topic-encrypted"] }), `key ${key}`).to.deep.equal([]);
            }
            const vs = await evaluate([{ type: "aws:sns/topic:Topic", name: "orders", props: {} }], { only: ["sns-topic-encrypted"] });
            expect(lines(vs)).to.have.length(1);
            expect(vs[0].enforcementLevel).to.equal("mandatory");
            expect(vs[0].message).to.match(/SNS topic 'orders' is not encrypted at rest\. Fix: set kmsMasterKeyId/);
        });
    });

    describe("queue-policy-no-public-principal", () => {
        const only = { only: ["queue-policy-no-public-principal"] };
        it("accepts service principals tied to their source and a TLS-only deny for everyone", async () => {
            const fromTopic = { Sid: "FromTopic", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "q", Condition: { ArnEquals: { "aws:SourceArn": ["arn:aws:sns:us-east-1:1:t"] } } };
            const anyoneInAccount = { Sid: "Account", Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:SendMessage", Resource: "q", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } };
            expect(await evaluate([queuePolicy("ok", tlsDeny, fromTopic, anyoneInAccount)], only)).to.deep.equal([]);
        });
        it("flags an Allow for any principal with nothing scoping it, in every principal form", async () => {
            const open = (Principal: unknown, Sid: string) => ({ Sid, Effect: "Allow", Principal, Action: "sqs:SendMessage", Resource: "q" });
            const vs = await evaluate([queuePolicy("open", tlsDeny, open("*", "Star"), open({ AWS: "*" }, "AwsStar"), open({ AWS: ["arn:aws:iam::1:root", "*"] }, "InList"))], only);
            expect(vs).to.have.length(1);
            expect(vs[0].message).to.match(/queue policy 'open' allows any principal in statement\(s\) Star, AwsStar, InList/);
            // A condition on something that does not scope the caller (TLS) does not make it safe.
            const tlsOnly = { ...open("*", "TlsOnly"), Condition: { Bool: { "aws:SecureTransport": "true" } } };
            expect(await evaluate([queuePolicy("tls", tlsOnly)], only)).to.have.length(1);
        });
        it("judges a queue's inline policy too, and leaves a policy not known yet (a preview computes it) to the update", async () => {
            const inline: Spec = { type: "aws:sqs/queue:Queue", name: "q", props: { policy: JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "sqs:*" } }) } };
            expect((await evaluate([inline], only))[0].message).to.match(/\nqueue 'q' allows any principal in statement\(s\) #0/);
            expect(await evaluate([{ type: QP, name: "later", props: { queueUrl: U, policy: U } }], only)).to.deep.equal([]);
        });
    });

    describe("internet-alb-edge-protection (advisory, production)", () => {
        const alb: Spec = { type: LB, name: "web", props: { loadBalancerType: "application", internal: false } };
        it("reports an internet-facing ALB with neither WAF nor CloudFront in production, as advisory", async () => {
            const vs = await evaluate([alb], { ...ONLY_EDGE, stack: "prod" });
            expect(vs.map((v) => v.enforcementLevel)).to.deep.equal(["advisory"]);
            expect(vs[0].message).to.match(/internet-facing load balancer 'web' has neither a WAF web ACL nor CloudFront in front of it/);
            expect(await evaluate([alb], { ...ONLY_EDGE, stack: "dev" }), "not outside production").to.deep.equal([]);
            expect(await evaluate([{ ...alb, props: { ...alb.props, internal: true } }], { ...ONLY_EDGE, stack: "prod" }), "not an internal one").to.deep.equal([]);
        });
        for (const [mode, arn, domain] of [
            ["known", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/0123456789abcdef", "web-123.us-east-1.elb.amazonaws.com"],
            ["unknown", U, U],
        ] as const) {
            it(`accepts an ALB with a web ACL association or a CloudFront origin on it (ids ${mode})`, async () => {
                const assoc: Spec = { type: ASSOC, name: "waf", props: { resourceArn: arn, webAclArn: U }, deps: { resourceArn: ["web"] } };
                expect(await evaluate([alb, assoc], { ...ONLY_EDGE, stack: "prod" })).to.deep.equal([]);
                const dist: Spec = { type: DIST, name: "cdn", props: { origins: [{ originId: "alb", domainName: domain }] }, deps: { origins: ["web"] } };
                expect(await evaluate([alb, dist], { ...ONLY_EDGE, stack: "prod" })).to.deep.equal([]);
                // An association with another load balancer does not cover this one.
                const other: Spec = { type: LB, name: "other", props: { loadBalancerType: "application" } };
                const elsewhere: Spec = { ...assoc, deps: { resourceArn: ["other"] } };
                const vs = await evaluate([alb, other, elsewhere], { ...ONLY_EDGE, stack: "prod" });
                expect(vs.map((v) => v.urn!.split("::").pop())).to.deep.equal(["web"]);
            });
        }
    });

    describe("the platform's stacks, planned and previewed", function () {
        this.timeout(60000);
        let preview: PlanResult;
        before(async () => {
            preview = await runPlan({ programDir: REPO, stack: "prod", policyPackDir: path.join(REPO, "policies"), preview: true });
        });
        const ours = (r: PlanResult) => r.json.violations.filter((v: { policy: string }) => ["sns-topic-encrypted", "queue-policy-no-public-principal", "internet-alb-edge-protection"].includes(v.policy));
        it("prod's web load balancers are all behind WAF or CloudFront and its topics and queue policies pass, ids known or unknown", async () => {
            expect(ours(await stackPlan("prod"))).to.deep.equal([]);
            expect(ours(preview)).to.deep.equal([]);
            expect(preview.json.mode).to.equal("preview");
        });
        it("the CloudFront-fronted load balancer's group admits the origin-facing prefix list on 443 and nothing from the world", () => {
            for (const r of [preview]) {
                const rules = r.json.resources.filter((x: { type: string; propertyDependencies: Record<string, string[]> }) => x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
                const alb = r.json.resources.find((x: { name: string; type: string }) => x.name === "whatisthetime-web-alb" && x.type === "aws:ec2/securityGroup:SecurityGroup");
                const onAlb = rules.filter((x: { propertyDependencies: Record<string, string[]> }) => (x.propertyDependencies.securityGroupId ?? []).includes(alb.urn));
                expect(onAlb.map((x: { inputs: Record<string, unknown> }) => [x.inputs.fromPort, x.inputs.toPort, x.inputs.cidrIpv4 ?? null, x.inputs.prefixListId === undefined])).to.deep.equal([[443, 443, null, false]]);
            }
        });
    });
});
