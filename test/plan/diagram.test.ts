import { expect } from "chai";
import { escapeLabel, mermaidBlock, renderMermaid } from "../../plan/diagram";
import { appTags, component, res, stackRoot } from "./cost-support";
import { parseFlowchart } from "./diagram-grammar";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** One application with a load balancer, an Auto Scaling group and a database, chained by groups. */
function application(name: string, opts: { knownIds: boolean }) {
    const app = component("platform:application:Application", name);
    const env = component("platform:application:Environment", `${name}-web`, app.urn);
    const sgId = (s: string) => (opts.knownIds ? `sg-${name}-${s}` : undefined);
    const albSg = res(SG, `${name}-alb`, { tags: appTags(name, "web") }, { parent: env.urn, id: `sg-${name}-alb` });
    const appSg = res(SG, `${name}-app`, { tags: appTags(name, "web") }, { parent: env.urn, id: `sg-${name}-app` });
    const dbSg = res(SG, `${name}-db`, { tags: appTags(name) }, { parent: app.urn, id: `sg-${name}-db` });
    const lt = res("aws:ec2/launchTemplate:LaunchTemplate", `${name}-lt`, { instanceType: "t3.small", vpcSecurityGroupIds: [sgId("app")] }, { parent: env.urn, id: `lt-${name}`, deps: { vpcSecurityGroupIds: [appSg.urn] } });
    const rule = (n: string, target: typeof albSg, source: typeof albSg | "world", port: number) =>
        res(
            INGRESS,
            n,
            {
                securityGroupId: opts.knownIds ? target.id : undefined,
                ...(source === "world" ? { cidrIpv4: "0.0.0.0/0" } : { referencedSecurityGroupId: opts.knownIds ? source.id : undefined }),
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
            },
            { parent: env.urn, deps: { securityGroupId: [target.urn], ...(source === "world" ? {} : { referencedSecurityGroupId: [source.urn] }) } },
        );
    return [
        app,
        env,
        albSg,
        appSg,
        dbSg,
        lt,
        res("aws:lb/loadBalancer:LoadBalancer", `${name}-alb`, { securityGroups: [sgId("alb")], tags: appTags(name, "web") }, { parent: env.urn, deps: { securityGroups: [albSg.urn] } }),
        res("aws:autoscaling/group:Group", `${name}-asg`, { launchTemplate: { id: opts.knownIds ? `lt-${name}` : undefined }, desiredCapacity: 2, tags: [{ key: "platform:application", value: name }, { key: "platform:environment", value: "web" }] }, { parent: env.urn, deps: { launchTemplate: [lt.urn] } }),
        res("aws:rds/instance:Instance", `${name}-db`, { engine: "mysql", instanceClass: "db.t4g.medium", vpcSecurityGroupIds: [sgId("db")], tags: { Name: `${name}-db` } }, { parent: app.urn, deps: { vpcSecurityGroupIds: [dbSg.urn] } }),
        rule(`${name}-alb-https`, albSg, "world", 443),
        rule(`${name}-app-from-alb`, appSg, albSg, 8080),
        rule(`${name}-db-from-app`, dbSg, appSg, 3306),
    ];
}

const edgesByLabel = (source: string) => {
    const parsed = parseFlowchart(source);
    const label = (id: string) => (id === "internet" ? "Internet" : ((parsed.nodes.get(id) ?? id).split(" ").find((w) => w.includes("-")) ?? id));
    return parsed.edges.map((e) => `${label(e.from)} -> ${label(e.to)} ${e.label ?? ""}`.trim()).sort();
};

describe("diagram: security-group chaining", () => {
    for (const knownIds of [true, false]) {
        it(`draws load balancer → instances → database with ports, ids ${knownIds ? "known (offline)" : "unknown (a real preview, through propertyDependencies)"}`, () => {
            const source = renderMermaid({ region: "us-east-1", resources: [stackRoot(), ...application("shop", { knownIds })] });
            expect(parseFlowchart(source).errors).to.deep.equal([]);
            expect(edgesByLabel(source)).to.deep.equal(["Internet -> shop-alb tcp/443", "shop-alb -> shop-asg tcp/8080", "shop-asg -> shop-db tcp/3306"]);
        });
    }
});

describe("diagram: readability and syntax", () => {
    it("keeps 12 applications apart: one subgraph each, its environment nested, nothing drawn across applications", () => {
        const names = Array.from({ length: 12 }, (_v, i) => `app${String(i).padStart(2, "0")}`);
        const source = renderMermaid({ region: "us-east-1", resources: [stackRoot(), ...names.flatMap((n) => application(n, { knownIds: true }))] });
        const parsed = parseFlowchart(source);
        expect(parsed.errors).to.deep.equal([]);
        const apps = [...parsed.subgraphs].filter(([, s]) => s.label.startsWith("application "));
        expect(apps.map(([, s]) => s.label.slice("application ".length)).sort()).to.deep.equal(names);
        const appOf = new Map<string, string>();
        for (const [id, s] of parsed.subgraphs) {
            const top = s.parent ? parsed.subgraphs.get(s.parent)!.label : s.label;
            for (const n of s.nodes) appOf.set(n, top);
            if (s.parent) expect(parsed.subgraphs.get(s.parent)!.label, id).to.match(/^application /);
        }
        for (const e of parsed.edges.filter((x) => x.from !== "internet")) expect(appOf.get(e.from)).to.equal(appOf.get(e.to));
        expect(parsed.nodes.size).to.equal(1 + 12 * 3);
    });

    it("escapes quotes, angle brackets and hashes in names so that labels stay one token", () => {
        expect(escapeLabel('a "b" <c> #d')).to.equal("a #quot;b#quot; #lt;c#gt; #35;d");
        const odd = res("aws:sqs/queue:Queue", 'q"1<x>#', { tags: appTags('we"ird') });
        const source = renderMermaid({ region: "us-east-1", resources: [stackRoot(), odd] });
        const parsed = parseFlowchart(source);
        expect(parsed.errors).to.deep.equal([]);
        expect([...parsed.nodes.values()]).to.deep.equal(["SQS q#quot;1#lt;x#gt;#35;"]);
        expect([...parsed.subgraphs.values()].map((s) => s.label)).to.deep.equal(["application we#quot;ird"]);
    });

    it("fences the source for markdown, unchanged inside the block", () => {
        const source = renderMermaid({ region: "us-east-1", resources: [stackRoot(), ...application("shop", { knownIds: true })] });
        const block = mermaidBlock(source);
        expect(block.startsWith("```mermaid\n") && block.endsWith("\n```")).to.equal(true);
        expect(block.slice("```mermaid\n".length, -"```".length)).to.equal(source);
    });

    it("the grammar check rejects what Mermaid would reject", () => {
        expect(parseFlowchart('flowchart LR\n  a["x"]\n').errors).to.deep.equal([]);
        expect(parseFlowchart('graph LR\n  a["x"]\n').errors).to.have.length(1);
        expect(parseFlowchart('flowchart LR\n  a["say "hi""]\n').errors[0]).to.match(/not in the grammar/);
        expect(parseFlowchart('flowchart LR\n  subgraph g["x"]\n  a["x"]\n').errors[0]).to.match(/unclosed/);
        expect(parseFlowchart('flowchart LR\n  a["x"]\n  a --> b\n').errors[0]).to.match(/b is not a defined node/);
        expect(parseFlowchart('flowchart LR\n  end["x"]\n').errors.join()).to.match(/keyword/);
        expect(parseFlowchart('flowchart LR\n  a["x"]\n  a["y"]\n').errors[0]).to.match(/defined twice/);
        expect(parseFlowchart('flowchart LR\n  a["C# <b>"]\n').errors).to.have.length(1);
    });
});
