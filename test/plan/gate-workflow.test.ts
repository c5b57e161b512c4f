import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO } from "./gate-support";

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    needs?: string | string[];
    if?: string;
    permissions?: Record<string, string>;
    steps: Step[];
}

const read = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

describe("gate: the pull-request workflow", () => {
    const wf = parse(read(".github/workflows/pull-request.yml")) as {
        on: Record<string, unknown>;
        permissions: Record<string, string>;
        concurrency: { group: string; "cancel-in-progress": boolean };
        env: Record<string, unknown>;
        jobs: Record<string, Job>;
    };
    const writes = (job: Job) => Object.entries(job.permissions ?? {}).filter(([, v]) => v === "write").map(([k]) => k).sort();
    const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

    it("runs on pull requests with a read-only default token and cancels superseded runs", () => {
        expect(wf.on).to.have.property("pull_request");
        expect(wf.permissions).to.deep.equal({ contents: "read" });
        expect(wf.concurrency["cancel-in-progress"]).to.equal(true);
        expect(wf.concurrency.group).to.contain("github.event.pull_request.number");
    });

    it("grants write permissions only to the jobs that need them, never to jobs running the pull request's code", () => {
        for (const [name, job] of Object.entries(wf.jobs)) expect(job.permissions, `${name} declares its permissions`).to.be.an("object");
        expect(writes(wf.jobs.check)).to.deep.equal([]);
        expect(writes(wf.jobs["offline-plan"])).to.deep.equal([]);
        expect(writes(wf.jobs.comment)).to.deep.equal(["pull-requests"]);
        expect(writes(wf.jobs["code-scanning"])).to.deep.equal(["security-events"]);
        expect(writes(wf.jobs.preview)).to.deep.equal(["pull-requests"]);
    });

    it("uses Node 22 wherever it sets up Node", () => {
        const setups = Object.values(wf.jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith("actions/setup-node@")));
        expect(setups.length).to.be.at.least(3);
        for (const s of setups) expect(String(s.with?.["node-version"]).replace("${{ env.NODE_VERSION }}", String(wf.env.NODE_VERSION))).to.equal("22");
    });

    it("runs the same commands as .ci/run: npm test, then .ci/plan-stacks", () => {
        const ci = read(".ci/run");
        expect(ci).to.match(/^npm test$/m).and.match(/^\.ci\/plan-stacks dev prod$/m);
        expect(runs(wf.jobs.check)).to.match(/^npm test$/m);
        expect(runs(wf.jobs["offline-plan"])).to.match(/^\.ci\/plan-stacks dev prod$/m);
        expect(fs.statSync(path.join(REPO, ".ci", "plan-stacks")).mode & 0o111, "plan-stacks is executable").to.not.equal(0);
    });

    it("puts the report in the job summary and one comment, and the SARIF in code scanning", () => {
        expect(runs(wf.jobs["offline-plan"])).to.contain('cat out/plan.md >> "$GITHUB_STEP_SUMMARY"');
        const script = String(wf.jobs.comment.steps.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script);
        expect(script).to.contain("updateComment").and.contain("createComment").and.contain("<!-- offline-plan -->");
        expect(read(".ci/plan-stacks")).to.contain('echo "<!-- offline-plan -->"');
        const upload = wf.jobs["code-scanning"].steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
        expect(upload?.with?.sarif_file).to.equal("out/sarif");
    });

    it("installs the pack from its committed lockfile for the real preview", () => {
        expect(runs(wf.jobs.preview)).to.contain("npm ci --no-audit --no-fund --prefix policies");
        const lock = JSON.parse(read("policies/package-lock.json"));
        const pkg = JSON.parse(read("policies/package.json"));
        for (const [dep, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
            expect(lock.packages[`node_modules/${dep}`]?.version, dep).to.equal(version);
        }
    });

    it("declares in engines the Node versions CI and this repository's tooling support", () => {
        expect(JSON.parse(read("package.json")).engines.node).to.equal("^20.19.0 || >=22.12.0");
    });
});
