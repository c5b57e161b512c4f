import * as aws from "@pulumi/aws";
import type { EnvironmentContext } from "./context";

/** The alarms that matter: CPU, unhealthy targets and 5xx behind a load balancer, a worker's dead letters and backlog age. */
export function buildAlarms(
    c: EnvironmentContext,
    on: { group: aws.autoscaling.Group; loadBalancer?: aws.lb.LoadBalancer; targetGroup?: aws.lb.TargetGroup; queue?: aws.sqs.Queue; deadLetterQueue?: aws.sqs.Queue },
): aws.cloudwatch.MetricAlarm[] {
    const { name, s, ha, tags, parent, args } = c;
    const alarms: aws.cloudwatch.MetricAlarm[] = [];
    const alarm = (suffix: string, a: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">) =>
        alarms.push(new aws.cloudwatch.MetricAlarm(`${name}-${suffix}`, { ...a, alarmActions: args.alarmActions ?? [], okActions: args.alarmActions ?? [], tags }, parent));
    alarm("cpu-high", {
        alarmDescription: `${name}: CPU above 80 % for 15 minutes${ha ? " (is maxSize too low?)" : ""}`,
        namespace: "AWS/EC2",
        metricName: "CPUUtilization",
        dimensions: { AutoScalingGroupName: on.group.name },
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        threshold: 80,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "missing",
    });
    if (on.loadBalancer && on.targetGroup) {
        const dims = { LoadBalancer: on.loadBalancer.arnSuffix, TargetGroup: on.targetGroup.arnSuffix };
        alarm("unhealthy-hosts", {
            alarmDescription: `${name}: targets failing health checks for 5 minutes`,
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: dims,
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 5,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        alarm("target-5xx", {
            alarmDescription: `${name}: the app answers 5xx (more than 10 a minute for 5 minutes)`,
            namespace: "AWS/ApplicationELB",
            metricName: "HTTPCode_Target_5XX_Count",
            dimensions: dims,
            statistic: "Sum",
            period: 60,
            evaluationPeriods: 5,
            threshold: 10,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
    }
    if (on.queue && on.deadLetterQueue) {
        alarm("dlq-not-empty", {
            alarmDescription: `${name}: messages failed ${s.queue.maxReceiveCount} times and reached the dead-letter queue`,
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: on.deadLetterQueue.name },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
        alarm("oldest-message", {
            alarmDescription: `${name}: the oldest message waited more than ${s.queue.oldestMessageAlarmSeconds} s (workers falling behind)`,
            namespace: "AWS/SQS",
            metricName: "ApproximateAgeOfOldestMessage",
            dimensions: { QueueName: on.queue.name },
            statistic: "Maximum",
            period: 300,
            evaluationPeriods: 1,
            threshold: s.queue.oldestMessageAlarmSeconds,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
        });
    }
    return alarms;
}
