import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ApplicationRef, BUNDLE_PREFIX } from "./application";
import { ProblemCollector } from "./validation";

/**
 * One iteration of an application's code: a label plus an artifact. An environment runs exactly one
 * version; pointing it at another is a deployment (a new launch template version rolled out by the
 * Auto Scaling group's instance refresh).
 *
 * Bundle contract: a folder or zip whose root holds an executable `start` that runs the app in the
 * foreground (like a Procfile), reading its settings from the environment (PORT, APP_VERSION, ...).
 * A golden AMI must ship the same `/opt/app/start`.
 */

/** Where the artifact comes from: exactly one of these. */
export type VersionSource =
    /** A local folder or .zip, uploaded to the application's bucket (relative paths from the project directory). */
    | { path: string }
    /** An object that already exists in S3 (e.g. uploaded by CI). */
    | { s3: { bucket: string; key: string; versionId?: string } }
    /** A golden AMI with the application baked in. */
    | { ami: string };

export interface ApplicationVersionArgs {
    application: ApplicationRef;
    /** The version label (1-100 letters, digits, `.`, `_`, `-`), e.g. "v42" or a git sha. */
    label: string;
    source: VersionSource;
}

/** Where the instance fetches the bundle from. */
export interface BundleLocation {
    bucket: pulumi.Input<string>;
    key: pulumi.Input<string>;
    /** The object version, so a re-uploaded bundle under the same label is a new deployment. */
    versionId?: pulumi.Input<string>;
}

/** What environments need from a version. */
export interface ApplicationVersionRef {
    readonly label: string;
    /** The bundle to download at boot; undefined for a golden AMI. */
    readonly bundle?: BundleLocation;
    /** The golden AMI; undefined when the bundle runs on the platform's base image. */
    readonly imageId?: string;
    /** A managed policy reading the version's bundle, for a bundle outside the application's bucket: every environment running the version attaches it to its instance role. */
    readonly readPolicyArn?: pulumi.Output<string>;
}

export const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
export const VERSION_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** S3 bucket naming rules (S3 user guide, "Bucket naming rules"), simplified to the usual form. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Validates the arguments, collecting every problem. Pure (except for checking a local path exists); exported for tests. */
export function validateApplicationVersionArgs(args: Omit<ApplicationVersionArgs, "application">, cwd: string = process.cwd()): ProblemCollector {
    const problems = new ProblemCollector();
    problems.check(!VERSION_LABEL.test(args.label), "label", `expected 1-100 letters, digits, '.', '_' or '-', got '${args.label}'`);
    const source = args.source as Record<string, unknown>;
    const kinds = ["path", "s3", "ami"].filter((k) => source[k] !== undefined);
    if (kinds.length !== 1) {
        problems.add("source", `give exactly one of path, s3 or ami (got ${kinds.length === 0 ? "none" : kinds.join(", ")})`);
        return problems;
    }
    if ("path" in args.source) {
        const full = path.resolve(cwd, args.source.path);
        const ok = fs.existsSync(full) && (fs.statSync(full).isDirectory() || full.endsWith(".zip"));
        problems.check(!ok, "source.path", `${args.source.path} is neither a folder nor a .zip file (resolved to ${full})`);
        if (ok && fs.statSync(full).isDirectory()) {
            // The bundle contract: an executable `start` at the root runs the app (the instances exec it).
            const start = path.join(full, "start");
            const stat = fs.existsSync(start) ? fs.statSync(start) : undefined;
            problems.check(!stat?.isFile(), "source.path", `${args.source.path} has no start file at its root: the instances run ./start to launch the app`);
            problems.check(stat?.isFile() === true && (stat.mode & 0o111) === 0, "source.path", `${args.source.path}/start is not executable (chmod +x ${path.join(args.source.path, "start")})`);
        }
    } else if ("s3" in args.source) {
        problems.check(!BUCKET_NAME.test(args.source.s3.bucket ?? ""), "source.s3.bucket", `not a valid bucket name: '${args.source.s3.bucket}'`);
        problems.check(!args.source.s3.key, "source.s3.key", "required");
    } else {
        problems.check(!AMI_ID.test(args.source.ami), "source.ami", `expected an AMI id such as ami-0123456789abcdef0, got '${args.source.ami}'`);
    }
    return problems;
}

/** The bucket key of a label's bundle. Pure. */
export function bundleKey(label: string): string {
    return `${BUNDLE_PREFIX}${label}.zip`;
}

export class ApplicationVersion extends pulumi.ComponentResource implements ApplicationVersionRef {
    readonly label: string;
    readonly bundle?: BundleLocation;
    readonly imageId?: string;
    readonly readPolicyArn?: pulumi.Output<string>;

    constructor(name: string, args: ApplicationVersionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:application:ApplicationVersion", name, {}, opts);
        validateApplicationVersionArgs(args).throwIfAny(`ApplicationVersion '${name}'`);
        this.label = args.label;
        const app = args.application;

        const source = args.source;
        if ("path" in source) {
            const object = new aws.s3.BucketObjectv2(
                `${name}-bundle`,
                {
                    bucket: app.bucketName,
                    key: bundleKey(args.label),
                    source: new pulumi.asset.FileArchive(source.path),
                    serverSideEncryption: "aws:kms",
                    kmsKeyId: app.kmsKeyArn,
                    bucketKeyEnabled: true,
                    tags: { ...app.tags, "platform:version": args.label },
                },
                { parent: this },
            );
            this.bundle = { bucket: object.bucket, key: object.key, versionId: object.versionId };
        } else if ("s3" in source) {
            // An object outside the application's bucket: the environments running this version may read that object alone.
            const { bucket, key, versionId } = source.s3;
            const partition = aws.getPartitionOutput({}, { parent: this });
            const arn = pulumi.interpolate`arn:${partition.partition}:s3:::${bucket}/${key}`;
            const read = new aws.iam.Policy(
                `${name}-read-bundle`,
                {
                    description: `Read the bundle of ${app.name} version ${args.label}`,
                    tags: app.tags,
                    policy: arn.apply((a) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [{ Sid: "ReadBundle", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: a }],
                        }),
                    ),
                },
                { parent: this },
            );
            this.readPolicyArn = read.arn;
            this.bundle = { bucket, key, versionId };
        } else {
            this.imageId = source.ami;
        }
        this.registerOutputs({ label: this.label, imageId: this.imageId });
    }
}
