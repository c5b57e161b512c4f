import { expect } from "chai";
import { ownersOf, OwnedResource, tagsOf } from "../../plan/ownership";

const u = (name: string) => `urn:pulumi:s::p::t::${name}`;
const res = (name: string, parent: string | null, inputs: Record<string, unknown> = {}): OwnedResource => ({ urn: u(name), parent: parent && u(parent), inputs });

describe("plan ownership", () => {
    const resources = [
        res("stack", null),
        res("app", "stack"),
        res("bucket", "app", { tags: { "platform:application": "shop" } }),
        res("env-web", "app"),
        res("lt", "env-web", { tagSpecifications: [{ resourceType: "instance", tags: { "platform:application": "shop", "platform:environment": "web" } }] }),
        res("asg", "env-web", { tags: [{ key: "platform:application", value: "shop", propagateAtLaunch: true }, { key: "platform:environment", value: "web" }] }),
        res("rule", "env-web"),
        res("env-worker", "app"),
        res("queue", "env-worker", { tags: { "platform:application": "shop", "platform:environment": "worker" } }),
        res("db", "app"),
        res("cluster", "db", { tags: { "platform:application": "shop", "platform:service": "database" } }),
        res("subnet-group", "db"),
        res("vpc", "stack", { tags: { Name: "vpc" } }),
    ];
    const owners = ownersOf(resources);

    it("reads map, Auto Scaling list and launch-template tag shapes", () => {
        expect(tagsOf(resources[4].inputs).get("platform:environment")).to.equal("web");
        expect(tagsOf(resources[5].inputs).get("platform:environment")).to.equal("web");
    });

    it("gives an untagged component what its subtree agrees on, and untagged children their parent's owner", () => {
        expect(owners.get(u("env-web"))).to.deep.equal({ application: "shop", environment: "web" });
        expect(owners.get(u("rule"))).to.deep.equal({ application: "shop", environment: "web" });
        expect(owners.get(u("subnet-group"))).to.deep.equal({ application: "shop", service: "database" });
    });

    it("does not give an application component one of its environments", () => {
        expect(owners.get(u("app"))).to.deep.equal({ application: "shop" });
    });

    it("leaves resources of no application out", () => {
        expect(owners.has(u("vpc"))).to.equal(false);
        expect(owners.has(u("stack"))).to.equal(false);
    });
});
