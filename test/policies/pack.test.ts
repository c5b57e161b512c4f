import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackValidationPolicy } from "@pulumi/policy";
import { evaluatePolicies } from "../../plan/policy-pack";
import { policies } from "../../policies/policies";
import { analyzed, pack } from "./support";
import { stackPlan } from "../support/stack-plans";

const REPO = path.resolve(__dirname, "..", "..");
const POLICIES = path.join(REPO, "policies");

describe("the policy pack", () => {
    it("loads with a real PolicyPack in a separate process and serves on a port", async function () {
        this.timeout(30000);
        const child = spawn(process.execPath, ["-r", path.join(POLICIES, "..", "plan", "register.js"), "index.ts"], { cwd: POLICIES, stdio: ["ignore", "pipe", "pipe"] });
        try {
            const port = await new Promise<string>((resolve, reject) => {
                let out = "";
                let err = "";
                child.stdout.on("data", (d) => {
                    out += String(d);
                    const m = /^(\d+)\s*$/m.exec(out);
                    if (m) resolve(m[1]);
                });
                child.stderr.on("data", (d) => (err += String(d)));
                child.on("exit", (code) => reject(new Error(`pack exited with ${code}: ${err}`)));
            });
            expect(Number(port)).to.be.greaterThan(0);
        } finally {
            child.kill();
        }
    });

    it("has one rule per file, unique names, a description and a level for each", () => {
        const files = fs.readdirSync(path.join(POLICIES, "rules")).filter((f) => f.endsWith(".ts"));
        expect(files).to.have.length(policies.length);
        const names = policies.map((p) => p.name);
        expect(new Set(names).size).to.equal(names.length);
        expect(files.map((f) => f.replace(/\.ts$/, ""))).to.have.members(names);
        for (const p of policies) {
            expect(p.description.length, p.name).to.be.greaterThan(30);
            expect(p.enforcementLevel, p.name).to.equal("mandatory");
        }
    });

    it("imports nothing from the platform program (it must gate any team's program)", () => {
        const offenders: string[] = [];
        const walk = (dir: string) => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                if (e.name === "node_modules") continue;
                const f = path.join(dir, e.name);
                if (e.isDirectory()) walk(f);
                else if (f.endsWith(".ts")) {
                    for (const m of fs.readFileSync(f, "utf8").matchAll(/from\s+"([^"]+)"|require\("([^"]+)"\)/g)) {
                        const spec = m[1] ?? m[2];
                        if (!spec.startsWith(".")) continue;
                        const target = path.relative(POLICIES, path.resolve(path.dirname(f), spec));
                        if (target.startsWith("..")) offenders.push(`${path.relative(REPO, f)} -> ${spec}`);
                    }
                }
            }
        };
        walk(POLICIES);
        expect(offenders).to.deep.equal([]);
    });

    it("reports a policy that throws as a mandatory error, and still runs the others", async () => {
        const throwing: StackValidationPolicy = {
            name: "throws",
            description: "a broken policy",
            enforcementLevel: "advisory",
            validateStack: () => {
                throw new Error("boom");
            },
        };
        const p = pack();
        const chaining = p.policies.find((x) => x.name === "security-group-chaining")!;
        const resources = analyzed([
            { type: "aws:ec2/securityGroup:SecurityGroup", name: "db", props: { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }] } },
        ]);
        const result = await evaluatePolicies({ ...p, policies: [throwing, chaining] }, resources);
        const broken = result.violations.find((v) => v.policy === "throws")!;
        expect(broken).to.include({ enforcementLevel: "mandatory", error: true });
        expect(broken.message).to.match(/boom/);
        expect(result.violations.some((v) => v.policy === "security-group-chaining")).to.equal(true);
    });

    for (const [stack, preview] of [["dev", false], ["prod", false], ["dev", true], ["prod", true]] as const) {
        it(`the platform's own ${stack} plan has zero mandatory violations${preview ? " in preview (ids, ARNs and endpoints unknown)" : ""}`, async () => {
            const result = await stackPlan(stack, { preview });
            const mandatory = result.evaluation!.violations.filter((v) => v.enforcementLevel === "mandatory");
            expect(mandatory.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
            expect(result.exitCode).to.equal(0);
        });
    }
});
