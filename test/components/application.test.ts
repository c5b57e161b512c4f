import { expect } from "chai";
import { Application, validateApplicationArgs } from "../../components/application";
import { ApplicationVersion, validateApplicationVersionArgs } from "../../components/application-version";
import { renderUserData } from "../../components/user-data";
import { Recorded, recordStack } from "../support/harness";
import { asList, policyOf } from "../support/app-fixture";

const S3 = (r: string) => `aws:s3/${r}`;

describe("Application", () => {
    let prod: Recorded;
    let dev: Recorded;
    before(async () => {
        prod = await recordStack(() => new Application("shop", { environmentClass: "production", versionsToKeep: 5 }));
        dev = await recordStack(() => new Application("shop", { environmentClass: "development" }));
    });

    it("keeps bundles in a versioned, KMS-encrypted, private, TLS-only bucket", () => {
        const key = prod.named("aws:kms/key:Key", "shop-key");
        expect(key.inputs.enableKeyRotation).to.equal(true);
        const sse = prod.named(S3("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"), "shop-bundles").inputs as Record<string, any>;
        expect(sse.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: `arn:aws:kms:us-east-1:123456789012:key/${key.id}` });
        expect(prod.named(S3("bucketVersioning:BucketVersioning"), "shop-bundles").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        expect(prod.named(S3("bucketPublicAccessBlock:BucketPublicAccessBlock"), "shop-bundles").inputs).to.include({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        const policy = policyOf(prod.named(S3("bucketPolicy:BucketPolicy"), "shop-bundles").inputs);
        expect(policy.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    it("keeps the last N versions of each bundle", () => {
        const rules = (prod.named(S3("bucketLifecycleConfiguration:BucketLifecycleConfiguration"), "shop-bundles").inputs as Record<string, any>).rules;
        const keep = rules.find((r: any) => r.id === "keep-last-versions");
        expect(keep.filter).to.deep.equal({ prefix: "versions/" });
        expect(keep.noncurrentVersionExpiration.newerNoncurrentVersions).to.equal(5);
    });

    it("protects key and bucket in production and lets development tear down", () => {
        expect(prod.named("aws:kms/key:Key", "shop-key").options.protect).to.equal(true);
        expect(prod.named(S3("bucket:Bucket"), "shop-bundles").options.protect).to.equal(true);
        expect(dev.named("aws:kms/key:Key", "shop-key").options.protect).to.equal(undefined);
        expect(dev.named(S3("bucket:Bucket"), "shop-bundles").inputs.forceDestroy).to.equal(true);
    });

    it("gives instances least privilege: own bundle prefix, Session Manager, own logs; no SSH, no managed admin policies", () => {
        const base = policyOf(prod.named("aws:iam/policy:Policy", "shop-instance-base").inputs);
        const bucket = prod.named(S3("bucket:Bucket"), "shop-bundles");
        const s3 = base.Statement.filter((s) => asList(s.Action).some((a) => a.startsWith("s3:")));
        expect(s3).to.have.length(1);
        expect(s3[0].Resource).to.equal(`arn:aws:s3:::${bucket.id}/versions/*`);
        const actions = base.Statement.flatMap((s) => asList(s.Action));
        expect(actions).to.include("ssmmessages:OpenDataChannel");
        expect(actions.filter((a) => a.endsWith(":*") || a === "*")).to.be.empty;
        // No AWS-managed policy is attached anywhere; the application owns no role (each environment has its own).
        expect(prod.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => String(a.inputs.policyArn).includes(":aws:policy/"))).to.be.empty;
        expect(prod.ofType("aws:iam/role:Role")).to.be.empty;
        const logs = base.Statement.find((s) => s.Sid === "OwnLogs")!;
        expect(logs.Resource).to.equal("arn:aws:logs:us-east-1:123456789012:log-group:/platform/shop/*");
    });

    it("lets the Auto Scaling service role use the key for encrypted volumes without naming it as a principal (it may not exist yet in a new account)", () => {
        const policy = JSON.parse(String(prod.named("aws:kms/key:Key", "shop-key").inputs.policy));
        const principals = policy.Statement.flatMap((s: any) => asList(s.Principal.AWS ?? []));
        // KMS rejects a key policy naming a principal that does not exist; only the account root and "*" are named.
        expect(principals.filter((p: string) => p !== "*" && !p.endsWith(":root"))).to.deep.equal([]);
        const role = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
        const asg = policy.Statement.filter((s: any) => s.Condition?.ArnEquals?.["aws:PrincipalArn"] === role);
        expect(asg.flatMap((s: any) => asList(s.Action))).to.include.members(["kms:GenerateDataKey*", "kms:Decrypt", "kms:CreateGrant"]);
        for (const s of asg) expect(s.Condition.StringEquals["kms:CallerAccount"]).to.equal("123456789012");
    });

    it("rejects an out-of-range versionsToKeep", () => {
        expect(validateApplicationArgs("shop", { versionsToKeep: 101 }).problems.map((p) => p.propertyPath)).to.deep.equal(["versionsToKeep"]);
        expect(validateApplicationArgs("Shop!", {}).problems.map((p) => p.propertyPath)).to.deep.equal(["name"]);
    });
});

describe("ApplicationVersion", () => {
    it("uploads a local folder as an encrypted bundle keyed by its label", async () => {
        const rec = await recordStack(() => {
            const app = new Application("shop");
            new ApplicationVersion("shop-v7", { application: app, label: "v7", source: { path: "test/fixtures/bundle" } }, { parent: app });
        });
        const object = rec.named("aws:s3/bucketObjectv2:BucketObjectv2", "shop-v7-bundle");
        expect(object.inputs).to.include({ key: "versions/v7.zip", serverSideEncryption: "aws:kms", bucket: rec.named(S3("bucket:Bucket"), "shop-bundles").id });
        expect(object.inputs.source).to.deep.equal({ archive: "test/fixtures/bundle" });
    });

    it("grants read on an existing S3 object alone", async () => {
        const rec = await recordStack(() => {
            const app = new Application("shop");
            new ApplicationVersion("shop-v8", { application: app, label: "v8", source: { s3: { bucket: "ci-artifacts", key: "shop/v8.zip" } } }, { parent: app });
        });
        const read = policyOf(rec.named("aws:iam/policy:Policy", "shop-v8-read-bundle").inputs);
        expect(read.Statement.map((s) => s.Resource)).to.deep.equal(["arn:aws:s3:::ci-artifacts/shop/v8.zip"]);
    });

    it("rejects a missing folder, a bad AMI id, a bad label and two sources at once", () => {
        const paths = (args: Parameters<typeof validateApplicationVersionArgs>[0]) => validateApplicationVersionArgs(args).problems.map((p) => p.propertyPath);
        expect(paths({ label: "v1", source: { path: "no/such/folder" } })).to.deep.equal(["source.path"]);
        expect(paths({ label: "v1", source: { ami: "ami-xyz" } })).to.deep.equal(["source.ami"]);
        expect(paths({ label: "v 1", source: { ami: "ami-0123456789abcdef0" } })).to.deep.equal(["label"]);
        expect(paths({ label: "v1", source: { ami: "ami-0123456789abcdef0", path: "x" } as never })).to.deep.equal(["source"]);
    });
});

describe("user data", () => {
    const spec = {
        application: "shop",
        environment: "shop-web",
        tier: "web" as const,
        versionLabel: "v1",
        region: "us-east-1",
        env: { GREETING: 'say "hi"' },
        secrets: {
            DB_PASSWORD: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            API_KEY: "arn:aws:ssm:us-east-1:123456789012:parameter/shop/api-key",
        },
        logGroupName: "/platform/shop/shop-web",
    };

    it("reads metadata with IMDSv2 session tokens only", () => {
        const script = renderUserData(spec);
        expect(script).to.include("latest/api/token");
        expect(script.match(/169\.254\.169\.254\/latest\/meta-data/g)).to.have.length(1);
        expect(script).to.match(/X-aws-ec2-metadata-token: \$t/);
    });

    it("resolves secrets at boot from their ARNs, never embedding values", () => {
        const script = renderUserData(spec);
        expect(script).to.include(`aws secretsmanager get-secret-value --secret-id '${spec.secrets.DB_PASSWORD}'`);
        expect(script).to.include(`aws ssm get-parameter --name '${spec.secrets.API_KEY}' --with-decryption`);
        expect(script).to.include('GREETING="say \\"hi\\""');
    });

    it("takes over the Elastic IP and fronts the app with nginx only in single mode", () => {
        const single = renderUserData({ ...spec, elasticIpAllocationId: "eipalloc-0123456789abcdef0", reverseProxyPort: 8080 });
        expect(single).to.include("associate-address --allocation-id 'eipalloc-0123456789abcdef0'");
        expect(single).to.include("proxy_pass http://127.0.0.1:8080;");
        const ha = renderUserData(spec);
        expect(ha).to.not.include("associate-address");
        expect(ha).to.not.include("nginx");
    });
});
