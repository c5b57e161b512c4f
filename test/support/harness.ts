import * as path from "node:path";
import { ProjectInfo } from "../../plan/project";
import { ProgramRun, RecordedResource, runProgram } from "../../plan/program";

/**
 * Runs `build` as a Pulumi program under the offline plan's AWS mocks and returns what it registered.
 * Component tests assert on these records: the same ones the plan JSON and the policies see.
 */
export interface TestStackOptions {
    stack?: string;
    project?: string;
    /** Stack config, keys namespaced as in Pulumi.<stack>.yaml (e.g. `aws:region`). */
    config?: Record<string, string>;
}

export class Recorded {
    constructor(readonly run: ProgramRun) {}

    get resources(): RecordedResource[] {
        return this.run.resources;
    }

    /** Resources of a type token (`aws:ec2/securityGroup:SecurityGroup`). */
    ofType(type: string): RecordedResource[] {
        return this.run.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type with this name; throws if missing. */
    named(type: string, name: string): RecordedResource {
        const found = this.run.resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            const names = this.ofType(type).map((r) => r.name);
            throw new Error(`no ${type} named ${name} (have: ${names.join(", ") || "none"})`);
        }
        return found;
    }

    byUrn(urn: string): RecordedResource | undefined {
        return this.run.resources.find((r) => r.urn === urn);
    }

    /** The resource whose mocked id is `id`. */
    byId(id: unknown): RecordedResource | undefined {
        return this.run.resources.find((r) => r.id === id);
    }

    /** Direct children of a resource. */
    childrenOf(urn: string): RecordedResource[] {
        return this.run.resources.filter((r) => r.parent === urn);
    }
}

export async function recordStack(build: () => unknown, opts: TestStackOptions = {}): Promise<Recorded> {
    const projectName = opts.project ?? "platform";
    const stack = opts.stack ?? "test";
    const project: ProjectInfo = {
        dir: path.resolve(__dirname, "..", ".."),
        name: projectName,
        runtime: "nodejs",
        main: "(inline)",
        configDefaults: {},
    };
    const config = { "aws:region": "us-east-1", ...(opts.config ?? {}) };
    const run = await runProgram({
        project,
        stack,
        config: { file: "(test)", config, secretKeys: [], notes: [] },
        entry: build,
    });
    return new Recorded(run);
}
