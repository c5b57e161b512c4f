import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeFailure, jsonTarget, useColor, writeErrorJson } from "../../plan/cli-io";
import { resolvePolicyConfig } from "../../plan/policy-pack";
import { PlanInputError } from "../../plan/errors";
import { REPO } from "./gate-support";
import { planCli } from "../support/cli";

const TEAM = path.join(REPO, "test", "fixtures", "team-program");
const PROBE_PACK = path.join(REPO, "test", "fixtures", "probe-pack");

// No colour settings inherited from the caller: the report goes to a pipe, so it is plain.
const plan = planCli;

describe("gate: command line documents", function () {
    this.timeout(60000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gate-"));

    it("--json - prints only the plan on stdout, the report on stderr, and writes markdown and SARIF", () => {
        const md = path.join(tmp, "out", "bad.md");
        const sarif = path.join(tmp, "out", "bad.sarif");
        const r = plan("--stack", "bad", "--program", TEAM, "--policy-pack", PROBE_PACK, "--json", "-", "--markdown", md, "--sarif", sarif);
        expect(r.status, r.stderr).to.equal(1);
        const json = JSON.parse(r.stdout);
        expect(json.summary.mandatory).to.equal(1);
        // Not built from a catalog entry: located where the program built it.
        expect(json.violations[0].source).to.deep.equal({ file: "index.ts", line: 27, path: null });
        expect(r.stderr).to.match(/Mandatory violations \(1\)[\s\S]*FAIL/).and.not.contain("\u001b[");
        expect(fs.readFileSync(md, "utf8")).to.match(/^## ❌ FAIL: offline plan of `team-app` \/ `bad`[\s\S]*`no-world-ssh` on `aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule` `ssh`/);
        const s = JSON.parse(fs.readFileSync(sarif, "utf8"));
        expect(s.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).to.deep.equal(["no-world-ssh"]);
        expect(s.runs[0].results[0].level).to.equal("error");
        const location = s.runs[0].results[0].locations[0].physicalLocation;
        expect(location.artifactLocation.uri).to.equal("test/fixtures/team-program/index.ts");
        expect(location.region.startLine).to.equal(27);
    });

    it("on exit 2 prints the error document on stdout for --json -", () => {
        const r = plan("--stack", "nope", "--program", TEAM, "--json", "-");
        expect(r.status).to.equal(2);
        const doc = JSON.parse(r.stdout);
        expect(doc.error.kind).to.equal("plan input");
        expect(doc.error.message).to.match(/unknown stack 'nope'/);
        expect(doc.error.problems).to.deep.equal([]);
    });

    it("on exit 2 writes every problem, with its path, to the --json file", () => {
        // What the CLI does with any error it catches (the wiring is the same as for the unknown stack above).
        const e = Object.assign(new Error("invalid configuration (2 problems)"), {
            name: "ConfigError",
            problems: [
                { path: "strict:apps[0].name", message: "required" },
                { path: "strict:size", message: "must be small or large" },
            ],
        });
        const out = path.join(tmp, "nested", "err.json");
        writeErrorJson(out, describeFailure(e));
        expect(JSON.parse(fs.readFileSync(out, "utf8"))).to.deep.equal({
            error: {
                kind: "config",
                message: "invalid configuration (2 problems)",
                problems: [
                    { path: "strict:apps[0].name", message: "required" },
                    { path: "strict:size", message: "must be small or large" },
                ],
            },
        });
    });

    it("on a usage error writes the error document too", () => {
        const r = plan("--stack", "dev", "--bogus", "--json", "-");
        expect(r.status).to.equal(2);
        expect(JSON.parse(r.stdout).error).to.include({ kind: "usage" });
        expect(r.stderr).to.match(/--bogus/);
    });
});

describe("gate: command line plumbing", () => {
    it("honours --no-color, then FORCE_COLOR over NO_COLOR, then the terminal", () => {
        expect(useColor(true, true, { FORCE_COLOR: "1" })).to.equal(false);
        expect(useColor(false, false, { FORCE_COLOR: "1", NO_COLOR: "1" })).to.equal(true);
        expect(useColor(false, true, { FORCE_COLOR: "0" })).to.equal(false);
        expect(useColor(false, true, { NO_COLOR: "1" })).to.equal(false);
        expect(useColor(false, true, { NO_COLOR: "" })).to.equal(true);
        expect(useColor(false, false, {})).to.equal(false);
    });

    it("finds the --json target of a command line that did not parse", () => {
        expect(jsonTarget(["--bogus", "--json", "out.json"])).to.equal("out.json");
        expect(jsonTarget(["--json=-"])).to.equal("-");
        expect(jsonTarget(["--stack", "dev"])).to.equal(undefined);
    });

    it("reads problems from the SDK's property errors too", () => {
        const e = Object.assign(new Error("bad inputs"), { errors: [{ propertyPath: "ingress[0].cidrBlocks", reason: "invalid CIDR" }] });
        expect(describeFailure(e)).to.deep.equal({ kind: "program", message: "bad inputs", problems: [{ path: "ingress[0].cidrBlocks", message: "invalid CIDR" }] });
        expect(describeFailure(new PlanInputError("x")).kind).to.equal("plan input");
    });

    it("rejects a policy pack config naming a policy the pack does not have", () => {
        const pack = { policies: [{ name: "alb-https", description: "", enforcementLevel: "mandatory" as const }] };
        expect(() => resolvePolicyConfig(pack as never, { "alb-htps": "advisory" })).to.throw(PlanInputError, /does not have: alb-htps/);
        expect(resolvePolicyConfig(pack as never, { all: "advisory", "alb-https": { enforcementLevel: "disabled" } }).get("alb-https")?.enforcementLevel).to.equal("disabled");
    });
});
