import { expect } from "chai";
import type { RecordedResource } from "../../plan/program";
import { Recorded } from "../support/harness";
import { recordedStack } from "../support/stack-plans";
import { allows, statementsOf } from "../support/iam";
import { T } from "../support/types";

/**
 * The catalog's three seed applications, planned once per stack: structure and chaining, not
 * snapshots.
 */

const plan = recordedStack;

const SG = T.securityGroup;
const INGRESS = T.ingressRule;
const ENV = "platform:application:Environment";
const LT = T.launchTemplate;

type Outputs = Record<string, any>;
const apps = (rec: Recorded): Outputs => rec.run.outputs.applications as Outputs;

/** The ids of the groups admitted by ingress rules on a group. */
function admittedBy(rec: Recorded, group: RecordedResource): string[] {
    return rec
        .ofType(INGRESS)
        .filter((r) => r.inputs.securityGroupId === group.id)
        .map((r) => r.inputs.referencedSecurityGroupId as string)
        .sort();
}

const userData = (rec: Recorded, env: string): string => Buffer.from(rec.named(LT, `${env}-lt`).inputs.userData as string, "base64").toString();

/** The IAM statements attached for an environment's services. */
const serviceSecretsPolicy = (rec: Recorded, env: string) =>
    JSON.parse(rec.named(T.rolePolicy, `${env}-service-secrets`).inputs.policy as string).Statement as Record<string, any>[];

for (const stack of ["dev", "prod"] as const) {
    describe(`catalog: seed applications in ${stack}`, () => {
        let rec: Recorded;
        before(async function () {
            this.timeout(30000);
            rec = await plan(stack);
        });

        it("builds the three applications, each environment a child of its application", () => {
            const envs = rec.ofType(ENV);
            expect(envs.map((e) => e.name).sort()).to.deep.equal(["myclothes-notifications", "myclothes-orders", "myclothes-web", "mywordpress-thumbnails", "mywordpress-web", "whatisthetime-web"]);
            for (const e of envs) expect(rec.byUrn(e.parent!)?.type).to.equal("platform:application:Application");
            expect(Object.keys(apps(rec)).sort()).to.deep.equal(["myclothes", "mywordpress", "whatisthetime"]);
        });

        it("myclothes: the RDS and Redis groups admit exactly its web and worker instance groups", () => {
            const web = rec.named(SG, "myclothes-web-instances");
            const orders = rec.named(SG, "myclothes-orders-instances");
            const clients = [web.id, orders.id].sort();
            expect(admittedBy(rec, rec.named(SG, "myclothes-db"))).to.deep.equal(clients);
            expect(admittedBy(rec, rec.named(SG, "myclothes-sessions"))).to.deep.equal(clients);
            const dbRule = rec.named(INGRESS, "myclothes-web-to-database-in");
            expect(dbRule.inputs).to.include({ fromPort: 3306, toPort: 3306, ipProtocol: "tcp" });
            // No other application's instances reach it.
            expect(admittedBy(rec, rec.named(SG, "myclothes-db"))).not.to.include(rec.named(SG, "mywordpress-web-instances").id);
        });

        it("myclothes: web and worker run under different roles; the web may send to the worker's queue but not receive, the worker the reverse", () => {
            const role = (env: string) => rec.named(T.role, `${env}-instance`);
            const profileOf = (env: string) => {
                const lt = rec.named(LT, `${env}-lt`);
                const profile = rec.ofType(T.instanceProfile).find((p) => lt.propertyDependencies.iamInstanceProfile?.includes(p.urn));
                expect(profile, `${env}'s launch template uses an instance profile of the stack`).to.not.equal(undefined);
                return profile!;
            };
            const web = role("myclothes-web");
            const orders = role("myclothes-orders");
            expect(web.urn).to.not.equal(orders.urn);
            expect(profileOf("myclothes-web").propertyDependencies.role).to.deep.equal([web.urn]);
            expect(profileOf("myclothes-orders").propertyDependencies.role).to.deep.equal([orders.urn]);
            expect(web.inputs.tags).to.include({ "platform:application": "myclothes", "platform:environment": "myclothes-web" });

            // A queue's ARN ends with the last segment of its URL (its id).
            const queueUrl = rec.named(T.queue, "myclothes-orders-queue").id as string;
            const queue = `arn:aws:sqs:us-east-1:123456789012:${queueUrl.split("/").pop()}`;
            const webCan = statementsOf(rec, web);
            const workerCan = statementsOf(rec, orders);
            expect(allows(webCan, "sqs:SendMessage", queue)).to.equal(true);
            expect(allows(webCan, "sqs:ReceiveMessage", queue)).to.equal(false);
            expect(allows(webCan, "sqs:DeleteMessage", queue)).to.equal(false);
            expect(allows(workerCan, "sqs:ReceiveMessage", queue)).to.equal(true);
            expect(allows(workerCan, "sqs:SendMessage", queue)).to.equal(false);
            // Both hold the application's shared grants (bundles, Session Manager) through the one managed policy.
            for (const can of [webCan, workerCan]) expect(allows(can, "ssmmessages:OpenDataChannel", "*")).to.equal(true);
            // No role of another application may touch the queue.
            expect(allows(statementsOf(rec, role("whatisthetime-web")), "sqs:SendMessage", queue)).to.equal(false);
        });

        it("instances boot only after what they need at boot: EFS mount targets (mywordpress) and the Elastic IP take-over right (single instances)", () => {
            const wp = rec.named(T.autoScalingGroup, "mywordpress-web-asg");
            const targets = rec.ofType("aws:efs/mountTarget:MountTarget").filter((m) => m.name.startsWith("mywordpress-files-"));
            expect(targets.length).to.be.greaterThan(1);
            for (const t of targets) expect(wp.dependencies, t.name).to.include(t.urn);
            if (stack === "dev") {
                const single = rec.named(T.autoScalingGroup, "whatisthetime-web-asg");
                expect(single.dependencies).to.include(rec.named(T.rolePolicy, "whatisthetime-web-take-over-eip").urn);
            }
        });

        it("tags every catalog resource that takes tags with its application, its environment and its service (cost allocation, violation tracing)", () => {
            // Types whose provider arguments take no tags (checked against @pulumi/aws's declarations).
            const untaggable = new Set([
                "aws:acm/certificateValidation:CertificateValidation", "aws:appautoscaling/policy:Policy", "aws:autoscaling/policy:Policy",
                "aws:efs/backupPolicy:BackupPolicy", "aws:efs/fileSystemPolicy:FileSystemPolicy", "aws:efs/mountTarget:MountTarget",
                "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:kms/alias:Alias", "aws:route53/record:Record",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketVersioning:BucketVersioning",
                "aws:secretsmanager/secretVersion:SecretVersion", "aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
                "aws:scheduler/schedule:Schedule", "aws:sns/topicSubscription:TopicSubscription", "aws:s3/bucketNotification:BucketNotification",
                "aws:wafv2/webAclAssociation:WebAclAssociation",
            ]);
            const ancestors = (r: RecordedResource): RecordedResource[] => (r.parent ? [rec.byUrn(r.parent)!, ...ancestors(rec.byUrn(r.parent)!)] : []);
            const SERVICES: Record<string, string> = { "platform:data:Database": "database", "platform:data:SessionCache": "cache", "platform:data:SharedFileSystem": "fileSystem" };
            const wrong: string[] = [];
            for (const r of rec.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
                const up = ancestors(r);
                const app = up.find((a) => a.type === "platform:application:Application");
                if (!app || untaggable.has(r.type)) continue;
                // Auto Scaling groups take tags as a list of { key, value }.
                const raw = r.inputs.tags ?? {};
                const tags: Record<string, string> = Array.isArray(raw) ? Object.fromEntries(raw.map((t: { key: string; value: string }) => [t.key, t.value])) : (raw as Record<string, string>);
                const env = up.find((a) => a.type === ENV);
                const svc = up.find((a) => SERVICES[a.type] !== undefined);
                if (tags["platform:application"] !== app.name) wrong.push(`${r.type} ${r.name}: platform:application`);
                if (env && tags["platform:environment"] !== env.name) wrong.push(`${r.type} ${r.name}: platform:environment`);
                if (svc && tags["platform:service"] !== SERVICES[svc.type]) wrong.push(`${r.type} ${r.name}: platform:service`);
            }
            expect(wrong).to.deep.equal([]);
        });

        it("myclothes: RDS MySQL, Multi-AZ with read replicas in prod; Redis; the web feeds the worker's queue with sticky sessions", () => {
            const db = rec.named(T.dbInstance, "myclothes-db");
            expect(db.inputs.engine).to.equal("mysql");
            const replicas = rec.ofType(T.dbInstance).filter((i) => i.name.startsWith("myclothes-db-replica"));
            if (stack === "prod") {
                expect(db.inputs.multiAz).to.equal(true);
                expect(replicas).to.have.length(2);
            } else {
                expect(db.inputs.multiAz).to.equal(false);
                expect(replicas).to.have.length(0);
            }
            expect(rec.named(T.replicationGroup, "myclothes-sessions").inputs.engine).to.equal("redis");
            expect(rec.named(T.targetGroup, "myclothes-web-tg").inputs.stickiness).to.include({ enabled: true, cookieDuration: 3600 });
            const out = apps(rec).myclothes;
            expect(out.environments.orders.queueUrl).to.match(/^https:\/\/sqs\./);
            expect(userData(rec, "myclothes-web")).to.include(`WORKER_QUEUE_URL="${out.environments.orders.queueUrl}"`);
        });

        it("myclothes: environments learn endpoints and secret ARNs (never a password) and may read exactly those secrets", () => {
            const script = userData(rec, "myclothes-web");
            const out = apps(rec).myclothes;
            expect(script).to.include(`DATABASE_HOST="${out.database.writerEndpoint}"`);
            expect(script).to.include('DATABASE_PORT="3306"');
            expect(script).to.include(`CACHE_HOST="${out.cache.primaryEndpoint}"`);
            expect(script).to.match(/DATABASE_SECRET_ARN="arn:aws:secretsmanager:/);
            expect(script).to.match(/CACHE_AUTH_SECRET_ARN="arn:aws:secretsmanager:/);
            expect(script).not.to.match(/PASSWORD|authToken/i);
            const [read, decrypt] = serviceSecretsPolicy(rec, "myclothes-web");
            expect(read.Action).to.equal("secretsmanager:GetSecretValue");
            expect(read.Resource).to.have.length(2);
            expect(decrypt.Action).to.equal("kms:Decrypt");
            expect(decrypt.Resource).to.have.length(2);
            for (const arn of decrypt.Resource) expect(arn).to.match(/^arn:aws:kms:us-east-1:\d{12}:key\//);
            expect(decrypt.Condition.StringEquals["kms:ViaService"]).to.equal("secretsmanager.us-east-1.amazonaws.com");
        });

        it("mywordpress: Aurora MySQL (global in prod), EFS with a mount target per AZ, mounted over TLS by its instances", () => {
            const azs = (rec.run.outputs.availabilityZones as string[]).length;
            expect(azs).to.equal(stack === "prod" ? 3 : 2);
            const cluster = rec.named("aws:rds/cluster:Cluster", "mywordpress-db");
            expect(cluster.inputs.engine).to.equal("aurora-mysql");
            const out = apps(rec).mywordpress;
            expect(out.database.kind).to.equal(stack === "prod" ? "aurora-global" : "aurora");
            const fs = rec.named("aws:efs/fileSystem:FileSystem", "mywordpress-files");
            const targets = rec.ofType("aws:efs/mountTarget:MountTarget").filter((m) => m.inputs.fileSystemId === fs.id);
            expect(targets).to.have.length(azs);
            expect(admittedBy(rec, rec.named(SG, "mywordpress-files"))).to.deep.equal([rec.named(SG, "mywordpress-web-instances").id]);
            const script = userData(rec, "mywordpress-web");
            expect(out.fileSystem.fileSystemId).to.equal(fs.id);
            expect(script).to.include(`mount -t efs -o tls,accesspoint=${out.fileSystem.accessPointId} ${fs.id}:/ /var/www/uploads`);
            expect(script.indexOf("mount -t efs")).to.be.lessThan(script.indexOf("systemctl enable --now app.service"));
            // Only the app that declares a file system mounts one.
            expect(userData(rec, "whatisthetime-web")).not.to.include("mount -t efs");
        });

        it("whatisthetime: stateless, with no database, cache or file system", () => {
            const out = apps(rec).whatisthetime;
            expect(out).not.to.have.any.keys("database", "cache", "fileSystem");
            expect(rec.ofType(T.rolePolicy).map((p) => p.name)).not.to.include("whatisthetime-web-service-secrets");
        });

        if (stack === "dev") {
            it("dev: whatisthetime is one instance behind an Elastic IP, with no load balancer", () => {
                expect(rec.ofType("aws:ec2/eip:Eip").map((r) => r.name)).to.include("whatisthetime-web-eip");
                expect(rec.ofType("aws:lb/loadBalancer:LoadBalancer").map((r) => r.name)).not.to.include("whatisthetime-web-alb");
                expect(apps(rec).whatisthetime.environments.web).to.include({ mode: "single" });
                expect(apps(rec).whatisthetime.url).to.match(/^http:\/\/\d+\.\d+\.\d+\.\d+$/);
            });

            it("dev: no secondary region is built (no aurora-global database)", () => {
                expect(rec.ofType("pulumi:providers:aws").map((p) => p.name)).not.to.include("platform-us-west-2");
                expect(rec.run.outputs).not.to.have.property("secondaryRegion");
            });
        } else {
            it("prod: whatisthetime runs an ALB and an Auto Scaling group over three AZs behind CloudFront, the Route 53 alias on the distribution", () => {
                expect(rec.named("aws:lb/loadBalancer:LoadBalancer", "whatisthetime-web-alb").inputs.internal).to.equal(false);
                expect(rec.named("aws:autoscaling/group:Group", "whatisthetime-web-asg").inputs.vpcZoneIdentifiers).to.have.length(3);
                const alias = rec.named("aws:route53/record:Record", "whatisthetime-web-cdn-alias-a");
                expect(alias.inputs.name).to.equal("whatisthetime.example.com");
                expect(alias.propertyDependencies.aliases).to.deep.equal([rec.named("aws:cloudfront/distribution:Distribution", "whatisthetime-web-cdn").urn]);
                expect(rec.ofType("aws:route53/record:Record").map((r) => r.name)).not.to.include("whatisthetime-web-alias-a");
                expect(apps(rec).whatisthetime.url).to.equal("https://whatisthetime.example.com");
                expect(rec.ofType("aws:ec2/eip:Eip").filter((e) => e.name.startsWith("whatisthetime"))).to.be.empty;
            });

            it("prod: one secondary-region provider and VPC, shared, carrying mywordpress' secondary cluster", () => {
                const providers = rec.ofType("pulumi:providers:aws").filter((p) => p.name === "platform-us-west-2");
                expect(providers).to.have.length(1);
                const secondary = rec.named("aws:rds/cluster:Cluster", "mywordpress-db-secondary");
                expect(secondary.provider?.region).to.equal("us-west-2");
                expect(rec.ofType("awsx:ec2:Vpc").map((v) => v.name).sort()).to.deep.equal(["platform-secondary-vpc", "platform-vpc"]);
                expect(rec.run.outputs.secondaryRegion).to.include({ region: "us-west-2" });
            });
        }
    });
}
