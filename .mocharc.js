// Mocha configuration. The whole suite runs when no test file is named (`npx mocha`, `npm test`);
// naming files (`npx mocha test/hpc/efa.test.ts`) runs exactly those files. A `spec` in the config
// would be merged with the files given on the command line, so it is only set when none is given.
const named = process.argv.slice(2).some((arg) => !arg.startsWith("-") && /\.(ts|js)$|[/*]/.test(arg));

module.exports = {
    require: ["./plan/register.js"],
    extension: ["ts"],
    ...(named ? {} : { spec: ["test/**/*.test.ts"] }),
    timeout: 20000,
    reporter: "spec",
};
