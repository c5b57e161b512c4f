import type { StackValidationPolicy } from "@pulumi/policy";
import { Res, StackIndex } from "../lib/stack";
import { T, isListener, isListenerRule, isLoadBalancer } from "../lib/types";
import { arr, bool, obj, Props, str } from "../lib/values";

/** Whether a list of actions ends in anything but a redirect to HTTPS (unknown actions: cannot be seen, false). */
export function actionsServePlainHttp(actions: unknown): boolean {
    if (actions !== undefined && !Array.isArray(actions)) return false;
    const list = arr(actions).map(obj);
    return !list.some((a) => str(a.type) === "redirect" && (str(obj(a.redirect).protocol) ?? "").toUpperCase() === "HTTPS");
}

/** Whether a listener is plain HTTP that does not redirect to HTTPS. Pure; exported for tests. */
export function servesPlainHttp(listener: Props): boolean {
    const protocol = (str(listener.protocol) ?? "HTTP").toUpperCase();
    if (protocol !== "HTTP") return false;
    const actions = arr(listener.defaultActions).map(obj);
    if (listener.defaultActions !== undefined && !Array.isArray(listener.defaultActions)) return false; // unknown
    return !actions.some((a) => str(a.type) === "redirect" && (str(obj(a.redirect).protocol) ?? "").toUpperCase() === "HTTPS");
}

const isInternetFacingAlb = (lb: Res) => bool(lb.props.internal) !== true && (str(lb.props.loadBalancerType) ?? "application") === "application";

export const albHttps: StackValidationPolicy = {
    name: "alb-https",
    description: "Internet-facing application load balancers serve HTTPS: every HTTP listener, and every rule of one, redirects to HTTPS.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const ix = StackIndex.of(args.resources);
        for (const l of ix.all.filter((r) => isListener(r.type))) {
            const { found } = ix.resolve(l, "loadBalancerArn", [l.props.loadBalancerArn], (r) => isLoadBalancer(r.type));
            const lb = found[0];
            if (!lb || !isInternetFacingAlb(lb)) continue;
            if (servesPlainHttp(l.props)) {
                reportViolation(
                    `listener '${l.name}' of internet-facing load balancer '${lb.name}' serves plain HTTP on port ${String(l.props.port ?? 80)}. Fix: serve HTTPS with an ACM certificate and make the HTTP listener's default action a redirect to HTTPS (HTTP_301).`,
                    l.urn,
                );
            }
        }
        // Listener rules of a plain-HTTP listener serve HTTP too, whatever the listener's default action does.
        for (const rule of ix.all.filter((r) => isListenerRule(r.type))) {
            const l = ix.resolve(rule, "listenerArn", [rule.props.listenerArn], (r) => isListener(r.type)).found[0];
            if (!l || (str(l.props.protocol) ?? "HTTP").toUpperCase() !== "HTTP") continue;
            const lb = ix.resolve(l, "loadBalancerArn", [l.props.loadBalancerArn], (r) => isLoadBalancer(r.type)).found[0];
            if (!lb || !isInternetFacingAlb(lb)) continue;
            if (actionsServePlainHttp(rule.props.actions)) {
                reportViolation(
                    `listener rule '${rule.name}' on HTTP listener '${l.name}' of internet-facing load balancer '${lb.name}' answers plain HTTP instead of redirecting to HTTPS. Fix: put the rule on the HTTPS listener; on the HTTP listener only redirect to HTTPS (HTTP_301).`,
                    rule.urn,
                );
            }
        }
        for (const lb of ix.ofType(T.awsxAlb)) {
            if (!ix.isOpaque(lb) || bool(lb.props.internal) === true) continue;
            const p = lb.props;
            // awsx's default: one HTTP listener on port 80 forwarding to the default target group.
            const listeners = Array.isArray(p.listeners) ? p.listeners.map(obj) : p.listener !== undefined ? [obj(p.listener)] : [{ protocol: "HTTP", port: 80 }];
            listeners.forEach((l, i) => {
                if (servesPlainHttp(l)) {
                    reportViolation(
                        `awsx ApplicationLoadBalancer '${lb.name}' ${p.listeners === undefined && p.listener === undefined ? "gets awsx's default listener (plain HTTP on 80)" : `listener ${i} serves plain HTTP`}. Fix: give it an HTTPS listener with a certificate and an HTTP listener redirecting to HTTPS.`,
                        lb.urn,
                    );
                }
            });
        }
    },
};
