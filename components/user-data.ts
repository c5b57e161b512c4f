import { efsMountCommands } from "./shared-file-system";

/**
 * The boot script of an environment's instances, rendered from plain values so it can be tested.
 * It is part of the launch template: anything that changes it (a new version, a new bundle object
 * version, a new variable) creates a new launch template version, which the Auto Scaling group rolls
 * out through an instance refresh.
 */

export interface UserDataSpec {
    application: string;
    environment: string;
    tier: "web" | "worker";
    versionLabel: string;
    region: string;
    /** The bundle to fetch; absent for a golden AMI that already holds /opt/app/start. */
    bundle?: { bucket: string; key: string; versionId?: string };
    /** Plain environment variables (validated names, single-line values). */
    env: Record<string, string>;
    /** Variable name → Secrets Manager secret ARN or SSM parameter ARN, resolved at boot. */
    secrets: Record<string, string>;
    /** Single-instance mode: the Elastic IP to take over at boot. */
    elasticIpAllocationId?: string;
    /** Single-instance web mode: nginx on port 80 in front of the app's port. */
    reverseProxyPort?: number;
    logGroupName: string;
    /** EFS file systems mounted over TLS through their access points before the app starts. Defaults to none. */
    fileSystems?: { fileSystemId: string; accessPointId: string; mountPoint: string }[];
}

/** Quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** One `KEY="value"` line of a systemd EnvironmentFile (backslash and double quote escaped). */
export function envFileLine(name: string, value: string): string {
    return `${name}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The command that prints a secret's value, by the kind of ARN. */
function secretCommand(arn: string): string {
    if (/^arn:aws[a-z-]*:ssm:/.test(arn)) {
        return `aws ssm get-parameter --name ${shellQuote(arn)} --with-decryption --query Parameter.Value --output text`;
    }
    return `aws secretsmanager get-secret-value --secret-id ${shellQuote(arn)} --query SecretString --output text`;
}

export function renderUserData(spec: UserDataSpec): string {
    const lines: string[] = [
        "#!/bin/bash",
        `# ${spec.application}/${spec.environment} (${spec.tier}) running version ${spec.versionLabel}.`,
        "set -euo pipefail",
        // IMDSv2 only: every metadata read takes a session token.
        `imds() { local t; t=$(curl -sfX PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60'); curl -sf -H "X-aws-ec2-metadata-token: $t" "http://169.254.169.254/latest/meta-data/$1"; }`,
        `export AWS_DEFAULT_REGION=${shellQuote(spec.region)}`,
        `INSTANCE_ID=$(imds instance-id)`,
    ];
    if (spec.elasticIpAllocationId) {
        lines.push(
            "# Self-healing single instance: whichever instance the group launches takes over the Elastic IP.",
            `aws ec2 associate-address --allocation-id ${shellQuote(spec.elasticIpAllocationId)} --instance-id "$INSTANCE_ID" --allow-reassociation`,
        );
    }
    lines.push(
        "id app >/dev/null 2>&1 || useradd --system --home-dir /opt/app --shell /sbin/nologin app",
        "install -d -m 0755 /opt/app /var/log/app",
        "install -d -m 0750 -g app /etc/app",
        "umask 027",
        "cat > /etc/app/env <<'PLATFORM_ENV'",
        ...Object.entries(spec.env).map(([k, v]) => envFileLine(k, v)),
        "PLATFORM_ENV",
    );
    for (const [name, arn] of Object.entries(spec.secrets)) {
        lines.push(`printf '%s=%s\\n' ${shellQuote(name)} "$(${secretCommand(arn)})" >> /etc/app/env`);
    }
    lines.push("chgrp app /etc/app/env", "umask 022");
    for (const fs of spec.fileSystems ?? []) {
        lines.push(`# Shared file system ${fs.fileSystemId} at ${fs.mountPoint} (TLS, access point ${fs.accessPointId}).`, ...efsMountCommands(fs.fileSystemId, fs.accessPointId, fs.mountPoint));
    }
    if (spec.bundle) {
        const version = spec.bundle.versionId ? ` --version-id ${shellQuote(spec.bundle.versionId)}` : "";
        lines.push(
            `aws s3api get-object --bucket ${shellQuote(spec.bundle.bucket)} --key ${shellQuote(spec.bundle.key)}${version} /tmp/bundle.zip >/dev/null`,
            "find /opt/app -mindepth 1 -delete",
            "unzip -q -o /tmp/bundle.zip -d /opt/app && rm -f /tmp/bundle.zip",
            "chmod 0755 /opt/app/start",
        );
    }
    if (spec.reverseProxyPort !== undefined) {
        lines.push(
            "dnf install -y -q nginx",
            "cat > /etc/nginx/conf.d/app.conf <<'PLATFORM_NGINX'",
            "server {",
            "    listen 80 default_server;",
            "    location / {",
            `        proxy_pass http://127.0.0.1:${spec.reverseProxyPort};`,
            "        proxy_set_header Host $host;",
            "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "    }",
            "}",
            "PLATFORM_NGINX",
            "systemctl enable --now nginx",
        );
    }
    const agentConfig = JSON.stringify({
        logs: {
            logs_collected: {
                files: { collect_list: [{ file_path: "/var/log/app/app.log", log_group_name: spec.logGroupName, log_stream_name: "{instance_id}" }] },
            },
        },
    });
    lines.push(
        "dnf install -y -q amazon-cloudwatch-agent",
        `cat > /opt/aws/amazon-cloudwatch-agent/etc/app.json <<'PLATFORM_AGENT'`,
        agentConfig,
        "PLATFORM_AGENT",
        "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/app.json",
        "cat > /etc/systemd/system/app.service <<'PLATFORM_UNIT'",
        "[Unit]",
        `Description=${spec.application}/${spec.environment}`,
        "After=network-online.target",
        "Wants=network-online.target",
        "[Service]",
        "User=app",
        "WorkingDirectory=/opt/app",
        "EnvironmentFile=/etc/app/env",
        "ExecStart=/opt/app/start",
        "Restart=always",
        "RestartSec=5",
        "NoNewPrivileges=true",
        "StandardOutput=append:/var/log/app/app.log",
        "StandardError=inherit",
        "[Install]",
        "WantedBy=multi-user.target",
        "PLATFORM_UNIT",
        "systemctl daemon-reload",
        "systemctl enable --now app.service",
        "",
    );
    return lines.join("\n");
}
