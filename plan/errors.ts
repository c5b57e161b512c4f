/** A problem with how the plan was asked for or with what it was pointed at: exit code 2. */
export class PlanInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanInputError";
    }
}
