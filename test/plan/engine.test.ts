import { expect } from "chai";
import * as path from "node:path";
import * as fs from "node:fs";
import * as os from "node:os";
import { buildUrn, reconstructDependencies, RecordedResource, ResourceInternals } from "../../plan/program";
import { loadProject, loadStackConfig, SECRET_PLACEHOLDER } from "../../plan/project";
import { runPlan } from "../../plan/index";
import { planSchema } from "../../plan/contract";
import { planCli } from "../support/cli";

const REPO = path.resolve(__dirname, "..", "..");
const TEAM = path.join(REPO, "test", "fixtures", "team-program");
const PROBE_PACK = path.join(REPO, "test", "fixtures", "probe-pack");

describe("offline plan: URNs", () => {
    it("builds top-level URNs without the root stack in the type chain", () => {
        const root = buildUrn("prod", "platform", undefined, "pulumi:pulumi:Stack", "platform-prod");
        expect(root).to.equal("urn:pulumi:prod::platform::pulumi:pulumi:Stack::platform-prod");
        expect(buildUrn("prod", "platform", root, "aws:s3/bucket:Bucket", "b")).to.equal("urn:pulumi:prod::platform::aws:s3/bucket:Bucket::b");
    });

    it("chains every ancestor's type, as the engine does", () => {
        const comp = buildUrn("dev", "p", undefined, "platform:app:Environment", "web");
        const inner = buildUrn("dev", "p", comp, "platform:app:Inner", "web-x");
        expect(inner).to.equal("urn:pulumi:dev::p::platform:app:Environment$platform:app:Inner::web-x");
        expect(buildUrn("dev", "p", inner, "aws:ec2/securityGroup:SecurityGroup", "web-sg")).to.equal(
            "urn:pulumi:dev::p::platform:app:Environment$platform:app:Inner$aws:ec2/securityGroup:SecurityGroup::web-sg",
        );
    });
});

describe("offline plan: dependency reconstruction", () => {
    const rec = (urn: string, inputs: Record<string, unknown>): RecordedResource => ({
        urn,
        type: "t",
        name: urn,
        custom: true,
        remote: false,
        operation: "create",
        parent: null,
        provider: null,
        id: null,
        inputs,
        options: {},
        dependencies: [],
        propertyDependencies: {},
    });

    it("maps mocked ids and ARNs found in inputs back to the resources that produced them", () => {
        const sg = rec("urn:sg", {});
        const queue = rec("urn:queue", {});
        const user = rec("urn:user", {
            securityGroupId: "sg-0abc",
            policy: '{"Statement":[{"Resource":"arn:aws:sqs:us-east-1:123456789012:jobs-1a2b3c4"}]}',
            subnetIds: ["subnet-1", "subnet-2"],
            other: "nothing",
        });
        const internals = new Map<string, ResourceInternals>([
            ["urn:sg", { serializedInputs: {}, generated: ["sg-0abc"] }],
            ["urn:queue", { serializedInputs: {}, generated: ["https://sqs/x", "arn:aws:sqs:us-east-1:123456789012:jobs-1a2b3c4"] }],
            ["urn:user", { serializedInputs: {}, generated: [] }],
        ]);
        reconstructDependencies([sg, queue, user], internals);
        expect(user.propertyDependencies).to.deep.equal({ securityGroupId: ["urn:sg"], policy: ["urn:queue"] });
        expect(user.dependencies).to.have.members(["urn:sg", "urn:queue"]);
        expect(sg.dependencies).to.deep.equal([]);
    });
});

describe("offline plan: stack config", () => {
    it("namespaces keys, passes structured values as JSON and scalars as text, like the CLI", () => {
        const project = loadProject(TEAM);
        const cfg = loadStackConfig(project, "dev");
        expect(cfg.config["aws:region"]).to.equal("eu-west-1");
        expect(JSON.parse(cfg.config["team-app:service"])).to.deep.equal({ name: "checkout", ports: [8080], limits: { cpu: 2 } });
        expect(cfg.config["team-app:openSsh"]).to.equal("false");
        expect(cfg.config["team-app:instanceCount"], "project-level default").to.equal("2");
    });

    it("replaces secure values with a placeholder secret and says so", () => {
        const cfg = loadStackConfig(loadProject(TEAM), "dev");
        expect(cfg.config["team-app:dbPassword"]).to.equal(SECRET_PLACEHOLDER);
        expect(cfg.secretKeys).to.deep.equal(["team-app:dbPassword"]);
        expect(cfg.notes.join("\n")).to.match(/team-app:dbPassword.*cannot be decrypted offline/);
    });

    it("loads a pack's name and version without serving it, as often as asked", () => {
        const { loadPolicyPack } = require("../../plan/policy-pack") as typeof import("../../plan/policy-pack");
        for (let i = 0; i < 2; i++) {
            const pack = loadPolicyPack(PROBE_PACK);
            expect([pack.name, pack.version, pack.policies.map((p) => p.name)]).to.deep.equal(["probe-pack", "1.2.3", ["no-world-ssh"]]);
        }
    });

    it("names the missing file and the known stacks for an unknown stack", () => {
        expect(() => loadStackConfig(loadProject(TEAM), "qa")).to.throw(/unknown stack 'qa'.*Pulumi\.qa\.yaml.*stacks here: bad, dev/);
    });
});

describe("offline plan: a team's program end to end", function () {
    this.timeout(30000);
    let plan: Awaited<ReturnType<typeof runPlan>>;
    before(async () => {
        plan = await runPlan({
            programDir: TEAM,
            stack: "dev",
            policyPackDir: PROBE_PACK,
            stackOutputs: { "acme/network/dev": { vpcId: "vpc-from-network-stack" } },
        });
    });
    const find = (type: string, name: string) => plan.json.resources.find((r: { type: string; name: string }) => r.type === type && r.name === name);

    it("writes JSON that satisfies the contract, every parent present in the file", () => {
        const parsed = planSchema.parse(plan.json);
        const urns = new Set(parsed.resources.map((r) => r.urn));
        const roots = parsed.resources.filter((r) => r.parent === null);
        expect(roots.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
        for (const r of parsed.resources) {
            if (r.parent) expect(urns.has(r.parent), `${r.urn} parent`).to.equal(true);
        }
        expect(parsed.summary.resources).to.equal(parsed.resources.length);
    });

    it("links a security-group rule to the groups it references", () => {
        const rule = find("aws:ec2/securityGroupRule:SecurityGroupRule", "app-from-lb");
        expect(rule.propertyDependencies.securityGroupId).to.deep.equal([find("aws:ec2/securityGroup:SecurityGroup", "app").urn]);
        expect(rule.propertyDependencies.sourceSecurityGroupId).to.deep.equal([find("aws:ec2/securityGroup:SecurityGroup", "lb").urn]);
        expect(rule.inputs.fromPort).to.equal(8080);
    });

    it("links a policy document to the queue whose ARN it names", () => {
        const policy = find("aws:iam/rolePolicy:RolePolicy", "app-send");
        expect(policy.propertyDependencies.policy).to.include(find("aws:sqs/queue:Queue", "checkout-jobs").urn);
    });

    it("records reads as reads, providers with their regions, options and masked secrets", () => {
        const shared = find("aws:ec2/securityGroup:SecurityGroup", "shared");
        expect(shared.operation).to.equal("read");
        expect(shared.id).to.equal("sg-0123456789abcdef0");
        const vault = find("aws:s3/bucket:Bucket", "backups");
        expect(vault.provider.region).to.equal("eu-central-1");
        expect(vault.options.protect).to.equal(true);
        expect(find("aws:sqs/queue:Queue", "checkout-jobs").provider.region).to.equal("eu-west-1");
        expect(find("aws:sqs/queue:Queue", "checkout-jobs").id).to.match(/^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\//);
        expect(find("aws:secretsmanager/secretVersion:SecretVersion", "db").inputs.secretString).to.equal("[secret]");
        expect(plan.json.outputs.dbPassword).to.equal("[secret]");
        expect(JSON.stringify([plan.json.resources, plan.json.outputs])).to.not.include(SECRET_PLACEHOLDER);
    });

    it("feeds stack-reference outputs from the given file", () => {
        expect(find("aws:ec2/securityGroup:SecurityGroup", "lb").inputs.vpcId).to.equal("vpc-from-network-stack");
    });

    it("passes when no mandatory policy is violated", () => {
        expect(plan.exitCode).to.equal(0);
    });
});

describe("offline plan: policy arguments", () => {
    it("hands a real @pulumi/policy rule the props, urn, options, config and helpers its server would", async () => {
        const seen: any[] = [];
        const { evaluatePolicies } = await import("../../plan/policy-pack");
        const { validateResourceOfType } = await import("@pulumi/policy");
        const aws = await import("@pulumi/aws");
        const pack = {
            dir: "x",
            name: "probe",
            version: "1.0.0",
            enforcementLevel: "advisory" as const,
            policies: [
                {
                    name: "probe",
                    description: "records its args",
                    configSchema: { properties: { limit: { type: "number" as const, default: 3 } } },
                    validateResource: validateResourceOfType(aws.ec2.SecurityGroup, (sg, args, report) => {
                        seen.push({ sg, args });
                        report("too open");
                    }),
                },
            ],
            runtime: (await import("../../plan/policy-pack")).loadPolicyPack(PROBE_PACK).runtime,
        };
        const result = await evaluatePolicies(
            pack,
            [
                {
                    urn: "urn:pulumi:prod::p::aws:ec2/securityGroup:SecurityGroup::g",
                    type: "aws:ec2/securityGroup:SecurityGroup",
                    name: "g",
                    serializedInputs: { vpcId: "vpc-1", description: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cret" } },
                    options: { protect: true },
                    parent: "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod",
                    provider: null,
                    dependencies: [],
                    propertyDependencies: {},
                    id: "sg-1",
                    custom: true,
                },
                {
                    urn: "urn:pulumi:prod::p::aws:s3/bucket:Bucket::b",
                    type: "aws:s3/bucket:Bucket",
                    name: "b",
                    serializedInputs: {},
                    options: {},
                    parent: null,
                    provider: null,
                    dependencies: [],
                    propertyDependencies: {},
                    id: "b",
                    custom: true,
                },
            ],
            { config: { probe: { enforcementLevel: "mandatory", limit: 5 } }, stackTags: { "pulumi:project": "p" } },
        );
        expect(seen).to.have.length(1, "the typed rule sees only security groups");
        const { sg, args } = seen[0];
        expect(sg).to.deep.include({ vpcId: "vpc-1", description: "s3cret" });
        expect(args.urn).to.equal("urn:pulumi:prod::p::aws:ec2/securityGroup:SecurityGroup::g");
        expect(args.opts).to.deep.include({ protect: true, parent: "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod", ignoreChanges: [] });
        expect(args.getConfig()).to.deep.equal({ limit: 5 });
        expect(args.stackTags.get("pulumi:project")).to.equal("p");
        expect(args.isType(aws.ec2.SecurityGroup)).to.equal(true);
        expect(() => args.notApplicable("nope")).to.throw();
        expect(result.violations).to.deep.equal([
            { policy: "probe", policyPack: "probe", enforcementLevel: "mandatory", urn: "urn:pulumi:prod::p::aws:ec2/securityGroup:SecurityGroup::g", message: "records its args\ntoo open" },
        ]);
    });
});

describe("offline plan: command line", function () {
    this.timeout(60000);
    const plan = planCli;

    it("exits 2 naming an unknown stack", () => {
        const r = plan("--stack", "nope");
        expect(r.status).to.equal(2);
        expect(r.stderr).to.match(/unknown stack 'nope'/);
    });

    it("exits 2 on a missing --stack and on unknown flags", () => {
        expect(plan().status).to.equal(2);
        expect(plan("--stack", "dev", "--bogus").status).to.equal(2);
    });

    it("exits 1 with the violation in the report and JSON when a mandatory policy fails", () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-")), "bad.json");
        const r = plan("--stack", "bad", "--program", TEAM, "--policy-pack", PROBE_PACK, "--json", out);
        expect(r.status, r.stderr).to.equal(1);
        expect(r.stdout).to.match(/Mandatory violations \(1\)[\s\S]*no-world-ssh[\s\S]*'ssh'/);
        const json = JSON.parse(fs.readFileSync(out, "utf8"));
        expect(json.summary.mandatory).to.equal(1);
        expect(json.violations[0].urn).to.match(/SecurityGroupIngressRule::ssh$/);
    });

    it("exits 2 when the program throws, naming the cause", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: broken\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(dir, "index.js"), 'throw new Error("kaboom in program");\n');
        const r = plan("--stack", "dev", "--program", dir);
        expect(r.status).to.equal(2);
        expect(r.stderr).to.match(/kaboom in program/);
    });
});
