import { Policy } from "@pulumi/policy";
import { noAdminPortsFromWorld } from "./rules/no-admin-ports-from-world";

/** Every policy of the pack, one rule per file under rules/. Tests and the offline plan import this list. */
export const policies: Policy[] = [noAdminPortsFromWorld];
