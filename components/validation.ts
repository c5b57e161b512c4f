import * as pulumi from "@pulumi/pulumi";

/**
 * Collects problems found by a component's own validation and throws them at once, before any child
 * is registered. `pulumi.InputPropertiesError` is what the engine prints as a table of property paths.
 */
export class ProblemCollector {
    private readonly errors: { propertyPath: string; reason: string }[] = [];

    /** Records a problem when `failed` is true. */
    check(failed: boolean, propertyPath: string, reason: string): void {
        if (failed) {
            this.errors.push({ propertyPath, reason });
        }
    }

    add(propertyPath: string, reason: string): void {
        this.errors.push({ propertyPath, reason });
    }

    get problems(): ReadonlyArray<{ propertyPath: string; reason: string }> {
        return this.errors;
    }

    /** Throws `pulumi.InputPropertiesError` naming the component when any problem was recorded. */
    throwIfAny(component: string): void {
        if (this.errors.length === 0) {
            return;
        }
        const lines = this.errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`).join("\n");
        throw new pulumi.InputPropertiesError({
            message: `${component} has invalid inputs:\n${lines}`,
            errors: [...this.errors],
        });
    }
}
