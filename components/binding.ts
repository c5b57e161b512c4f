import type * as pulumi from "@pulumi/pulumi";

/**
 * The one way a service is wired to its clients: the service offers its binding (its group and
 * port, the variables describing it, the secrets and keys a client may read, a mount) and an
 * Environment using it applies all of it — chain, variables, IAM read, mount.
 */

/**
 * A backing service an environment uses (a database, a cache, a shared file system): the
 * instances' group is admitted to the service's group on its port (`allowFrom`), the app learns
 * where it is through environment variables, the instance role may read exactly its secrets (and
 * decrypt them with their keys), and a file system is mounted at boot over TLS.
 */
export interface ServiceBinding {
    /** Short name, part of child names (`<env>-to-<name>`): "database", "cache", "files". */
    name: string;
    /** The service's security group. */
    securityGroupId: pulumi.Input<string>;
    /** The TCP port the instances reach it on. */
    port: number;
    /** Variables describing it to the app (endpoints, ports, secret ARNs; never a secret's value). Defaults to none. */
    environment?: Record<string, pulumi.Input<string>>;
    /** Secrets Manager secrets the instances may read (secretsmanager:GetSecretValue). Defaults to none. */
    secretArns?: pulumi.Input<string>[];
    /** The KMS keys of those secrets (kms:Decrypt through Secrets Manager only). Defaults to none. */
    secretKmsKeyArns?: pulumi.Input<string>[];
    /** An EFS file system to mount on every instance at boot. Defaults to none. */
    fileSystem?: FileSystemMount;
    /** Resources that must exist before a client's instances boot (e.g. EFS mount targets). Defaults to none. */
    readyAfter?: pulumi.Resource[];
}

/** An EFS mount through an access point (see `efsMountCommands`). */
export interface FileSystemMount {
    fileSystemId: pulumi.Input<string>;
    accessPointId: pulumi.Input<string>;
    /** Absolute path on the instances. */
    mountPoint: string;
}
