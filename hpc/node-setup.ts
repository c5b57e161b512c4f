/**
 * What HPC nodes run: their AMI parameters, boot script and the Batch multi-node job's node
 * properties. Pure functions, rendered from plain values so they can be tested.
 */

/** The AMI of an architecture: Amazon Linux 2023's public SSM parameter. */
export function al2023AmiParameter(arch: "arm64" | "x86_64"): string {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;
}

/** The ECS-optimized Amazon Linux 2023 AMI Batch needs to run containers. */
export function ecsAmiParameter(arch: "arm64" | "x86_64"): string {
    return arch === "arm64" ? "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id" : "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
}

export interface UserDataArgs {
    lustre?: { dnsName: string; mountName: string };
    efsFileSystemId?: string;
}

const MIME_BOUNDARY = "==HPC-NODE==";

/**
 * Node bootstrap as a MIME multi-part document (the form AWS Batch requires of launch-template user
 * data; cloud-init accepts it everywhere): install the EFA software unless the AMI has it, mount
 * Lustre at /fsx and EFS at /home. Pure; exported for tests.
 */
export function renderUserData(args: UserDataArgs): string {
    const lines = ["#!/bin/bash", "set -euo pipefail", "", "# EFA software (libfabric, Open MPI) unless the AMI already carries it.", "if [ ! -x /opt/amazon/efa/bin/fi_info ]; then"];
    lines.push(
        "  cd /tmp",
        "  curl -fsSLO https://efa-installer.amazonaws.com/aws-efa-installer-latest.tar.gz",
        "  tar -xzf aws-efa-installer-latest.tar.gz",
        "  (cd aws-efa-installer && ./efa_installer.sh -y)",
        "fi",
    );
    if (args.lustre) {
        lines.push(
            "",
            // Amazon Linux 2023 runs systemd-networkd and has no network.service (the FSx guide's Amazon Linux 2
            // entry): requiring it made the mount fail at every reboot. network-online.target exists everywhere.
            "# FSx for Lustre at /fsx.",
            "dnf install -y lustre-client",
            "mkdir -p /fsx",
            `echo '${args.lustre.dnsName}@tcp:/${args.lustre.mountName} /fsx lustre defaults,relatime,flock,_netdev,x-systemd.automount,x-systemd.after=network-online.target,x-systemd.requires=network-online.target 0 0' >> /etc/fstab`,
        );
    }
    if (args.efsFileSystemId) {
        lines.push(
            "",
            "# EFS home directories at /home (TLS in transit).",
            "dnf install -y amazon-efs-utils",
            `echo '${args.efsFileSystemId}:/ /home efs _netdev,noresvport,tls 0 0' >> /etc/fstab`,
        );
    }
    if (args.lustre || args.efsFileSystemId) {
        lines.push("mount -a");
    }
    return [
        "MIME-Version: 1.0",
        `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`,
        "",
        `--${MIME_BOUNDARY}`,
        'Content-Type: text/x-shellscript; charset="us-ascii"',
        "",
        ...lines,
        "",
        `--${MIME_BOUNDARY}--`,
        "",
    ].join("\n");
}

/**
 * The multi-node parallel job definition's node properties: every node gets the EFA devices
 * (`/dev/infiniband/uverbs<n>`, one per EFA interface, as AWS Batch's EFA guide requires), unlimited
 * locked memory, and /fsx when Lustre is mounted. Pure; exported for tests.
 */
export function multiNodeProperties(args: { numNodes: number; image: string; vcpus: number; memoryMiB: number; efaInterfaces: number; lustre: boolean }): string {
    const devices = Array.from({ length: args.efaInterfaces }, (_v, i) => ({
        hostPath: `/dev/infiniband/uverbs${i}`,
        containerPath: `/dev/infiniband/uverbs${i}`,
        permissions: ["READ", "WRITE", "MKNOD"],
    }));
    const container: Record<string, unknown> = {
        image: args.image,
        resourceRequirements: [
            { type: "VCPU", value: String(args.vcpus) },
            { type: "MEMORY", value: String(args.memoryMiB) },
        ],
        linuxParameters: { devices },
        ulimits: [{ name: "memlock", softLimit: -1, hardLimit: -1 }],
    };
    if (args.lustre) {
        container.volumes = [{ name: "fsx", host: { sourcePath: "/fsx" } }];
        container.mountPoints = [{ sourceVolume: "fsx", containerPath: "/fsx", readOnly: false }];
    }
    return JSON.stringify({ mainNode: 0, numNodes: args.numNodes, nodeRangeProperties: [{ targetNodes: "0:", container }] });
}
