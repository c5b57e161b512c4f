import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { forceNewPaths, parseGoResources, parseNameConstants, pulumiName } from "../../plan/data/build-replacement-table";
import { predictReplacement, REPLACEMENT_TABLE } from "../../plan/diff/replacement";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "tf-schema");
const read = (f: string) => fs.readFileSync(path.join(FIXTURES, f), "utf8");

describe("replacement table: the Go schema parser", () => {
    const consts = parseNameConstants(read("attr_consts.go.txt"));
    const resources = parseGoResources(read("widget.go.txt"), consts);
    const byName = (tf: string) => resources.find((r) => r.terraform === tf)!;
    const widget = byName("aws_widget");
    const rule = byName("aws_widget_rule");

    it("finds SDKv2 and plugin-framework resources by their registration", () => {
        expect(resources.map((r) => r.terraform)).to.deep.equal(["aws_widget", "aws_widget_rule", "aws_gadget", "aws_gizmo"]);
        expect(widget.fields.map((f) => f.name)).to.deep.equal(["name", "size", "description", "storage", "rule", "policy"]);
    });

    it("collects ForceNew and RequiresReplace paths, nested fields included, in Pulumi names", () => {
        // storage is one item (flattened by the bridge); rule is a set, whose Pulumi name is plural.
        expect(forceNewPaths(widget.fields)).to.deep.equal(["name", "policies", "rules.priority", "storage.encrypted"]);
        expect(forceNewPaths(rule.fields)).to.deep.equal(["match.cidrBlock", "widgetId"]);
    });

    it("reads schemas given as a package variable or built by a schema function", () => {
        expect(forceNewPaths(byName("aws_gadget").fields)).to.deep.equal(["serial"]);
        expect(byName("aws_gizmo").fields.map((f) => f.name)).to.deep.equal(["name", "zone"]);
        expect(forceNewPaths(byName("aws_gizmo").fields)).to.deep.equal(["zone"]);
    });

    it("reads flags at their own level only, never from comments or nested blocks", () => {
        const size = widget.fields.find((f) => f.name === "size");
        const storage = widget.fields.find((f) => f.name === "storage");
        expect(size?.forceNew).to.equal(false);
        expect(storage?.forceNew).to.equal(false);
        expect(storage?.children.map((c) => [c.name, c.forceNew])).to.deep.equal([
            ["encrypted", true],
            ["iops", false],
        ]);
    });

    it("names lists as the bridge does: plural unless flattened to one item", () => {
        const field = (name: string, collection: boolean, maxItemsOne = false) => ({ name, forceNew: false, collection, maxItemsOne, children: [] });
        expect(pulumiName(field("vpc_zone_identifier", true), false)).to.equal("vpcZoneIdentifiers");
        expect(pulumiName(field("policy", true), false)).to.equal("policies");
        expect(pulumiName(field("launch_template", true, true), false)).to.equal("launchTemplate");
        expect(pulumiName(field("ebs", true), true)).to.equal("ebs");
        expect(pulumiName(field("subnet_ids", true), false)).to.equal("subnetIds");
    });
});

describe("replacement table: prediction", () => {
    const entries = {
        "aws:test/thing:Thing": { terraform: "aws_thing", source: "x", forceNew: ["name", "storage.encrypted", "rules.priority"] },
    };
    const predict = (base: Record<string, unknown>, head: Record<string, unknown>, changed: string[]) => predictReplacement("aws:test/thing:Thing", base, head, changed, [], entries);

    it("replaces on a ForceNew input, updates in place otherwise", () => {
        expect(predict({ name: "a" }, { name: "b" }, ["name"])).to.deep.equal({ replace: true, forcedBy: ["name"] });
        expect(predict({ size: 1 }, { size: 2 }, ["size"])).to.deep.equal({ replace: false, forcedBy: [] });
    });

    it("replaces when a nested ForceNew field changes, not when its siblings do", () => {
        expect(predict({ storage: { encrypted: false, iops: 1 } }, { storage: { encrypted: true, iops: 1 } }, ["storage"]).replace).to.equal(true);
        expect(predict({ storage: { encrypted: true, iops: 1 } }, { storage: { encrypted: true, iops: 2 } }, ["storage"]).replace).to.equal(false);
        const rules = (ps: number[]) => ({ rules: ps.map((priority) => ({ priority, note: "n" })) });
        expect(predict(rules([1, 2]), rules([2, 1]), ["rules"]).replace, "a set in another order").to.equal(false);
        expect(predict(rules([1, 2]), rules([1, 3]), ["rules"]).forcedBy).to.deep.equal(["rules.priority"]);
    });

    it("replaces when an input switches to another member of an exclusive group", () => {
        const rule = { "aws:test/rule:Rule": { terraform: "aws_rule", source: "x", forceNew: ["groupId"], replaceOnSwitch: [["cidrIpv4", "referencedSecurityGroupId"]] } };
        const p = (base: Record<string, unknown>, head: Record<string, unknown>) => predictReplacement("aws:test/rule:Rule", base, head, Object.keys({ ...base, ...head }), [], rule);
        expect(p({ cidrIpv4: "10.0.0.0/16" }, { referencedSecurityGroupId: "sg-1" })).to.deep.equal({ replace: true, forcedBy: ["cidrIpv4 → referencedSecurityGroupId"] });
        expect(p({ cidrIpv4: "10.0.0.0/16" }, { cidrIpv4: "10.1.0.0/16" }).replace, "same member, new value").to.equal(false);
    });

    it("replaces on an input guarded by a flag only while the flag is set", () => {
        const instance = { "aws:test/vm:Vm": { terraform: "aws_vm", source: "x", forceNew: [], replaceWhenFlag: { userData: "userDataReplaceOnChange" } } };
        const p = (flag: boolean) => predictReplacement("aws:test/vm:Vm", { userData: "a", userDataReplaceOnChange: flag }, { userData: "b", userDataReplaceOnChange: flag }, ["userData"], [], instance);
        expect(p(true)).to.deep.equal({ replace: true, forcedBy: ["userData (userDataReplaceOnChange)"] });
        expect(p(false)).to.deep.equal({ replace: false, forcedBy: [] });
    });

    it("reports a type it has no data for as unknown", () => {
        expect(predictReplacement("aws:other/thing:Thing", { a: 1 }, { a: 2 }, ["a"], [], entries)).to.deep.equal({ replace: "unknown", forcedBy: [] });
        expect(predictReplacement("aws:other/thing:Thing", { a: 1 }, { a: 2 }, ["a"], ["a"], entries).replace, "replaceOnChanges still decides").to.equal(true);
    });

    it("ships its provider, version and a source per entry", () => {
        expect(REPLACEMENT_TABLE.provider.name).to.equal("hashicorp/terraform-provider-aws");
        expect(REPLACEMENT_TABLE.generatedBy).to.equal("plan/data/build-replacement-table.ts");
        for (const [token, entry] of Object.entries(REPLACEMENT_TABLE.resources)) {
            expect(token, token).to.match(/^aws:[a-z0-9]+\/[a-zA-Z0-9]+:[A-Z][a-zA-Z0-9]*$/);
            expect(entry.terraform, token).to.match(/^aws_[a-z0-9_]+$/);
            expect(entry.source, token).to.match(/^internal\/service\/[a-z0-9]+\/[a-z0-9_]+\.go@[0-9a-f]{40}$/);
        }
    });
});
