import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../../plan/index";
import { planSchema, PlanJson } from "../../plan/contract";
import { computeDiff, isProductionStack, PlanDiff, renderDiffMarkdown, renderDiffText } from "../../plan/diff";
import { REPLACEMENT_TABLE } from "../../plan/diff/replacement";
import { stackPlan } from "../support/stack-plans";
import { planCli } from "../support/cli";

const REPO = path.resolve(__dirname, "..", "..");
type Resource = PlanJson["resources"][number];

const copy = (p: PlanJson): PlanJson => JSON.parse(JSON.stringify(p)) as PlanJson;
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The resource of a type and logical name (throws when the fixture plan lacks it). */
function find(p: PlanJson, type: string, name: string): Resource {
    const r = p.resources.find((x) => x.type === type && x.name === name);
    if (!r) throw new Error(`no ${type} '${name}' in the plan`);
    return r;
}

/** Every resource under `root` (itself included), by the parent chain. */
function subtree(p: PlanJson, root: string): Set<string> {
    const out = new Set([root]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of p.resources) {
            if (r.parent && out.has(r.parent) && !out.has(r.urn)) {
                out.add(r.urn);
                grew = true;
            }
        }
    }
    return out;
}

/** Renames a component and its children the way a changed logical name in code does: every URN moves. */
function renameComponent(p: PlanJson, type: string, from: string, to: string): PlanJson {
    const out = copy(p);
    const root = find(out, type, from).urn;
    const moved = subtree(out, root);
    const rename = (urn: string) => (moved.has(urn) ? urn.replace(new RegExp(`::${from}(?=(-[^:]*)?$)`), `::${to}`) : urn);
    for (const r of out.resources) {
        const was = r.urn;
        r.urn = rename(r.urn);
        if (r.urn !== was) r.name = nameOf(r.urn);
        r.parent = r.parent ? rename(r.parent) : null;
        r.dependencies = r.dependencies.map(rename);
    }
    return out;
}

describe("plan diff against a baseline", function () {
    this.timeout(30000);
    let dev: PlanJson;
    before(async () => {
        dev = planSchema.parse((await stackPlan("dev")).json);
    });
    const diff = (head: PlanJson, opts: Partial<Parameters<typeof computeDiff>[2]> = {}): PlanDiff => computeDiff(dev, head, { production: false, ...opts });

    it("an unchanged stack diffs empty", () => {
        const d = diff(copy(dev));
        expect(d.added).to.deep.equal([]);
        expect(d.removed).to.deep.equal([]);
        expect(d.changed).to.deep.equal([]);
        expect(d.guard.findings).to.deep.equal([]);
        expect(d.summary.unchanged).to.equal(dev.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length);
    });

    it("an instance-type change updates the launch template in place and rolls the group's instances", () => {
        const head = copy(dev);
        find(head, "aws:ec2/launchTemplate:LaunchTemplate", "myclothes-web-lt").inputs.instanceType = "m7i.large";
        const d = diff(head);
        const lt = d.changed.find((c) => nameOf(c.urn) === "myclothes-web-lt");
        expect(lt).to.include({ replace: false, stateful: false });
        expect(lt?.inputs).to.deep.equal(["instanceType"]);
        const asg = d.changed.find((c) => nameOf(c.urn) === "myclothes-web-asg");
        expect(asg, "the group follows the template's new version").to.not.equal(undefined);
        expect(asg?.replace).to.equal(false);
        expect(asg?.follows).to.match(/rolling instance refresh/);
        expect(d.summary).to.include({ replaced: 0, updated: 2, removed: 0, added: 0 });
        // The other environments' templates and groups are untouched.
        expect(d.changed.map((c) => nameOf(c.urn)).sort()).to.deep.equal(["myclothes-web-asg", "myclothes-web-lt"]);
    });

    it("renaming a launch template (a ForceNew input) replaces it", () => {
        const head = copy(dev);
        find(head, "aws:ec2/launchTemplate:LaunchTemplate", "myclothes-web-lt").inputs.name = "myclothes-web-v2";
        const lt = diff(head).changed.find((c) => nameOf(c.urn) === "myclothes-web-lt");
        expect(lt).to.include({ replace: true });
        expect(lt?.forcedBy).to.deep.equal(["name"]);
    });

    it("renaming a database replaces the cluster and fails a production stack unless acknowledged", () => {
        const head = renameComponent(dev, "platform:data:Database", "mywordpress-db", "mywordpress-data");
        const d = diff(head, { production: true });
        const cluster = d.removed.find((r) => r.type === "aws:rds/cluster:Cluster");
        expect(cluster, "the old cluster goes").to.include({ stateful: true });
        expect(nameOf(cluster!.renamedTo!)).to.equal("mywordpress-data");
        expect(d.added.some((a) => a.type === "aws:rds/cluster:Cluster" && nameOf(a.urn) === "mywordpress-data")).to.equal(true);
        const findings = d.guard.findings.filter((f) => f.level === "mandatory");
        expect(findings.map((f) => `${f.action} ${f.name}`).sort()).to.deep.equal(["replace mywordpress-db", "replace mywordpress-db-key"]);
        expect(d.guard.mandatory).to.equal(2);

        const acknowledged = diff(head, { production: true, allowReplace: ["mywordpress-db", "mywordpress-db-key"] });
        expect(acknowledged.guard.mandatory).to.equal(0);
        expect(acknowledged.guard.findings.map((f) => f.level)).to.deep.equal(["acknowledged", "acknowledged"]);

        const guarded = copy(dev);
        find(guarded, "aws:rds/cluster:Cluster", "mywordpress-db").options.protect = true;
        const protectedRename = computeDiff(guarded, head, { production: true });
        expect(protectedRename.removed.find((r) => r.type === "aws:rds/cluster:Cluster")).to.include({ protected: true });
        expect(renderDiffText(protectedRename)).to.match(/'mywordpress-db'.*protected: pulumi up refuses until it is unprotected/);

        const elsewhere = diff(head, { production: false });
        expect(elsewhere.guard.mandatory).to.equal(0);
        expect(elsewhere.guard.findings.map((f) => f.level)).to.deep.equal(["advisory", "advisory"]);
    });

    it("changing a database's name inside the cluster (a ForceNew input) replaces it, stateful, and fails production", () => {
        const head = copy(dev);
        const cluster = find(head, "aws:rds/cluster:Cluster", "mywordpress-db");
        cluster.inputs.databaseName = "blog";
        cluster.inputs.backupRetentionPeriod = 14;
        const d = diff(head, { production: true });
        const c = d.changed.find((x) => x.urn === cluster.urn);
        expect(c).to.deep.include({ replace: true, stateful: true, inputs: ["backupRetentionPeriod", "databaseName"], forcedBy: ["databaseName"] });
        expect(d.guard.findings.map((f) => [f.action, f.name, f.level])).to.deep.equal([["replace", "mywordpress-db", "mandatory"]]);
        // The retention change alone is an in-place update, not a guard finding.
        cluster.inputs.databaseName = find(dev, "aws:rds/cluster:Cluster", "mywordpress-db").inputs.databaseName;
        const inPlace = diff(head, { production: true });
        expect(inPlace.changed.find((x) => x.urn === cluster.urn)).to.include({ replace: false });
        expect(inPlace.guard.findings).to.deep.equal([]);
    });

    it("a rename tied by aliases is no replacement", () => {
        const head = renameComponent(dev, "platform:data:Database", "mywordpress-db", "mywordpress-data");
        const cluster = find(head, "aws:rds/cluster:Cluster", "mywordpress-data");
        cluster.options.aliases = [find(dev, "aws:rds/cluster:Cluster", "mywordpress-db").urn];
        const d = diff(head, { production: true });
        const c = d.changed.find((x) => x.urn === cluster.urn);
        expect(c).to.include({ replace: false });
        expect(c?.renamedFrom).to.equal(find(dev, "aws:rds/cluster:Cluster", "mywordpress-db").urn);
        expect(d.guard.findings.map((f) => f.name)).to.not.include("mywordpress-db");
        // The spec form names the old logical name and parent instead of the URN.
        const old = find(dev, "aws:rds/cluster:Cluster", "mywordpress-db");
        cluster.options.aliases = [{ name: "mywordpress-db", parentUrn: old.parent }];
        expect(diff(head, { production: true }).changed.find((x) => x.urn === cluster.urn)?.renamedFrom).to.equal(old.urn);
        cluster.options.aliases = [{ name: "mywordpress-db", parentUrn: "urn:pulumi:dev::platform::platform:data:Database::elsewhere" }];
        expect(diff(head, { production: true }).added.map((a) => a.urn)).to.include(cluster.urn);
    });

    it("removing an application lists its resources as removed, its bucket stateful", () => {
        const app = find(dev, "platform:application:Application", "whatisthetime");
        const gone = subtree(dev, app.urn);
        const head = copy(dev);
        head.resources = head.resources.filter((r) => !gone.has(r.urn));
        const d = diff(head, { production: true });
        const expected = dev.resources.filter((r) => gone.has(r.urn) && r.custom).map((r) => r.urn).sort();
        expect(d.removed.map((r) => r.urn).sort()).to.deep.equal(expected);
        const bucket = d.removed.find((r) => r.type === "aws:s3/bucket:Bucket");
        expect(bucket).to.include({ stateful: true });
        expect(nameOf(bucket!.urn)).to.equal("whatisthetime-bundles");
        expect(d.removed.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")).to.include({ stateful: false });
        expect(d.guard.findings.filter((f) => f.level === "mandatory").map((f) => f.name).sort()).to.deep.equal(["whatisthetime-bundles", "whatisthetime-key"]);
        expect(d.changed).to.deep.equal([]);
    });

    it("reports a type with no replacement data as unknown, never as in place", () => {
        const base = copy(dev);
        const head = copy(dev);
        for (const p of [base, head]) find(p, "aws:cloudwatch/metricAlarm:MetricAlarm", "myclothes-web-cpu-high").type = "aws:newservice/widget:Widget";
        find(head, "aws:newservice/widget:Widget", "myclothes-web-cpu-high").inputs.threshold = 95;
        const d = computeDiff(base, head, { production: false });
        expect(d.changed).to.have.length(1);
        expect(d.changed[0]).to.include({ type: "aws:newservice/widget:Widget", replace: "unknown" });
        expect(d.changed[0].inputs).to.deep.equal(["threshold"]);
        expect(d.summary.unknown).to.equal(1);
        expect(renderDiffText(d)).to.match(/\? unknown .*myclothes-web-cpu-high.*no replacement data/);
    });

    it("honours replaceOnChanges and deleteBeforeReplace from the resource options", () => {
        const head = copy(dev);
        const group = find(head, "aws:autoscaling/group:Group", "myclothes-web-asg");
        group.inputs.maxSize = 12;
        group.options.replaceOnChanges = ["maxSize"];
        group.options.deleteBeforeReplace = true;
        const c = diff(head).changed.find((x) => x.urn === group.urn);
        expect(c).to.include({ replace: true, deleteBeforeReplace: true });
        expect(c?.forcedBy).to.deep.equal(["maxSize"]);
        delete group.options.replaceOnChanges;
        expect(diff(head).changed.find((x) => x.urn === group.urn)).to.include({ replace: false });
    });

    it("moving a resource to another region replaces it", () => {
        const head = copy(dev);
        const group = find(head, "aws:autoscaling/group:Group", "myclothes-web-asg");
        group.provider = { urn: group.provider!.urn, region: "eu-west-1" };
        expect(diff(head).changed.find((x) => x.urn === group.urn)).to.deep.include({ replace: true, forcedBy: ["(provider region)"], inputs: [] });
    });

    it("compares secrets without showing them", () => {
        const base = copy(dev);
        const head = copy(dev);
        find(base, "aws:ec2/launchTemplate:LaunchTemplate", "myclothes-web-lt").inputs.userData = "[secret]";
        find(head, "aws:ec2/launchTemplate:LaunchTemplate", "myclothes-web-lt").inputs.userData = "s3cr3t-value";
        const d = computeDiff(base, head, { production: false });
        expect(d.changed.map((c) => c.inputs)).to.deep.include(["userData"]);
        for (const out of [JSON.stringify(d), renderDiffText(d), renderDiffMarkdown(d)]) expect(out).to.not.include("s3cr3t-value");
    });

    it("renders the summary: counts, then replacements and removals, then in-place changes with input names", () => {
        const head = renameComponent(dev, "platform:data:Database", "mywordpress-db", "mywordpress-data");
        find(head, "aws:ec2/launchTemplate:LaunchTemplate", "myclothes-web-lt").inputs.instanceType = "m7i.large";
        const d = diff(head, { production: true });
        const text = renderDiffText(d).split("\n");
        expect(text[0]).to.match(/^Changes against the baseline \(platform\/dev\): \d+ to create, 0 to replace, 2 to update in place, \d+ to delete/);
        const firstUpdate = text.findIndex((l) => /~ update/.test(l));
        const lastDelete = text.map((l) => /- delete/.test(l)).lastIndexOf(true);
        expect(lastDelete).to.be.greaterThan(0);
        expect(firstUpdate).to.be.greaterThan(lastDelete);
        expect(text[firstUpdate]).to.match(/LaunchTemplate 'myclothes-web-lt'  \(instanceType\)|AutoScaling|Group 'myclothes-web-asg'/);
        expect(text.some((l) => /✗ \[stateful-resources\] replacing stateful aws:rds\/cluster:Cluster 'mywordpress-db'/.test(l))).to.equal(true);
        const markdown = renderDiffMarkdown(d);
        expect(markdown).to.match(/\| 🗑️ delete \| `mywordpress-db` \| `aws:rds\/cluster:Cluster` \|/);
        expect(markdown).to.match(/\| ✏️ update \| `myclothes-web-lt` \| `aws:ec2\/launchTemplate:LaunchTemplate` \| instanceType \|/);
        expect(markdown).to.include("❌");
    });

    it("through the command line: --baseline adds the diff to the JSON and fails an unacknowledged stateful replacement", () => {
        // A team's small program keeps this fast. Its baseline held one bucket, under an older name.
        const team = path.join(REPO, "test", "fixtures", "team-program");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
        const old = "urn:pulumi:dev::team-app::aws:s3/bucket:Bucket::backups-old";
        const bucket: Resource = { urn: old, type: "aws:s3/bucket:Bucket", name: "backups-old", custom: true, parent: null, provider: null, id: "backups-old-1a2b3c4", inputs: {}, options: {}, dependencies: [], propertyDependencies: {} };
        const base: PlanJson = { project: "team-app", stack: "dev", resources: [bucket], outputs: {}, violations: [], summary: { resources: 1, mandatory: 0, advisory: 0 } };
        fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify(base));
        const cli = (...args: string[]) => planCli("--program", team, "--stack", "dev", "--no-policies", ...args);
        const failed = cli("--baseline", path.join(dir, "base.json"), "--production", "--json", path.join(dir, "head.json"));
        expect(failed.status, failed.stderr).to.equal(1);
        expect(failed.stdout).to.match(/✗ \[stateful-resources\] replacing stateful aws:s3\/bucket:Bucket 'backups-old' \(renamed to 'backups'/);
        expect(failed.stdout).to.match(/Summary: .*1 unacknowledged stateful replacement → FAIL/);
        const written = JSON.parse(fs.readFileSync(path.join(dir, "head.json"), "utf8"));
        expect(written.diff.guard).to.include({ production: true, mandatory: 1 });
        expect(written.diff.removed).to.deep.equal([{ urn: old, type: "aws:s3/bucket:Bucket", stateful: true, renamedTo: old.replace(/-old$/, "") }]);

        fs.writeFileSync(path.join(dir, "broken.json"), JSON.stringify({ project: "p" }));
        const broken = cli("--baseline", path.join(dir, "broken.json"));
        expect(broken.status).to.equal(2);
        expect(broken.stderr).to.match(/baseline .*broken\.json is not a plan JSON/);
    });

    it("has replacement data for every resource type the stack creates", () => {
        const types = [...new Set(dev.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type))];
        expect(types.length).to.be.greaterThan(40);
        expect(types.filter((t) => !REPLACEMENT_TABLE.resources[t])).to.deep.equal([]);
    });

    it("plans the same stack twice to byte-identical JSON", async () => {
        const again = planSchema.parse((await runPlan({ programDir: REPO, stack: "dev", policyPackDir: path.join(REPO, "policies") })).json);
        expect(JSON.stringify(again)).to.equal(JSON.stringify(dev));
    });
});

describe("plan diff: production stacks and the replacement table", () => {
    it("treats prod and prod-* as production, nothing else", () => {
        expect(["prod", "prod-eu", "prod-"].map(isProductionStack)).to.deep.equal([true, true, true]);
        expect(["dev", "production", "preprod", "prodx", "staging-prod"].map(isProductionStack)).to.deep.equal([false, false, false, false, false]);
    });
});
