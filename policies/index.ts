import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// The only place the pack is constructed: `pulumi preview --policy-pack ./policies` serves it.
new PolicyPack("platform-guardrails", { enforcementLevel: "mandatory", policies });
