import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

/**
 * The oldest and newest supported `@pulumi/pulumi` (test/fixtures/sdk-matrix/<name>, each with its own
 * pinned SDK, installed by install.js): the plan must reach the policies with either. Run with
 * `npm run test:sdk-matrix` (CI does, after `npm test`).
 */

const REPO = path.resolve(__dirname, "..", "..");
const CACHE = path.join(REPO, "node_modules", ".cache", "sdk-matrix");
const FIXTURES = path.join(REPO, "test", "fixtures", "sdk-matrix");

describe("offline plan: supported @pulumi/pulumi versions", function () {
    this.timeout(120000);
    for (const name of fs.readdirSync(FIXTURES).sort()) {
        const pinned = (JSON.parse(fs.readFileSync(path.join(FIXTURES, name, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
        it(`plans and judges a program pinned to @pulumi/pulumi ${pinned} (${name})`, function () {
            const dir = path.join(CACHE, name);
            const sdk = path.join(dir, "node_modules", "@pulumi", "pulumi", "package.json");
            if (!fs.existsSync(sdk)) {
                if (process.env.CI === "true") throw new Error(`${name} is not installed in ${dir}: run node test/sdk-matrix/install.js`);
                console.log(`      (skipped: ${name} not installed; run npm run test:sdk-matrix with registry access)`);
                this.skip();
            }
            expect((JSON.parse(fs.readFileSync(sdk, "utf8")) as { version: string }).version, "the program's own SDK").to.equal(pinned);
            const out = path.join(dir, "plan.json");
            const r = spawnSync(
                process.execPath,
                ["-r", path.join(REPO, "plan", "register.js"), path.join(REPO, "plan", "cli.ts"), "--stack", "dev", "--program", dir, "--policy-pack", path.join(REPO, "test", "fixtures", "probe-pack"), "--json", out, "--timeout", "60"],
                { cwd: REPO, encoding: "utf8" },
            );
            expect(r.status, r.stderr).to.equal(1);
            const plan = JSON.parse(fs.readFileSync(out, "utf8"));
            expect(plan.violations.map((v: { urn: string }) => v.urn)).to.deep.equal([`urn:pulumi:dev::sdk-${name}::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::ssh`]);
            const web = plan.resources.find((x: { name: string }) => x.name === "web");
            expect(web.options.protect).to.equal(true);
            expect(web.provider.region).to.equal("us-west-2");
            const ssh = plan.resources.find((x: { name: string }) => x.name === "ssh");
            expect(ssh.propertyDependencies.securityGroupId).to.deep.equal([web.urn]);
            expect(plan.outputs.organization).to.equal("organization");
            // The Lambda callback serializes with its captures (an imported module, a config value), in native syntax.
            const text: string = plan.outputs.handlerText;
            expect(text).to.include('greeting: "us-west-2"').and.include("toUpperCase").and.include("?.");
            expect(text).to.not.match(/_optionalChain|_interopRequire/);
            expect(plan.resources.find((x: { name: string }) => x.name === "handler").inputs.code).to.deep.equal({ archive: "(assets)" });
        });
    }
});
