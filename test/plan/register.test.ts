import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The loader behind `npm run plan` and the tests: caches must never serve stale code. */
describe("offline plan: TypeScript loading and caches", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-"));
    const load = (file: string) => {
        delete require.cache[file];
        return require(file);
    };

    it("serves the new code after a same-length edit of a TypeScript module", () => {
        const file = path.join(dir, "value.ts");
        fs.writeFileSync(file, "export const value: number = 1;\n");
        expect(load(file).value).to.equal(1);
        fs.writeFileSync(file, "export const value: number = 2;\n");
        expect(load(file).value).to.equal(2);
    });

    it("serves the new code after a same-length edit of a CommonJS module (V8 checks only the length)", () => {
        const file = path.join(dir, "value.js");
        fs.writeFileSync(file, "module.exports = { value: 'a' };\n");
        expect(load(file).value).to.equal("a");
        fs.writeFileSync(file, "module.exports = { value: 'b' };\n");
        expect(load(file).value).to.equal("b");
    });

    it("still loads ES modules through require(), and reports syntax errors with the file name", () => {
        const esm = path.join(dir, "esm.mjs");
        fs.writeFileSync(esm, "export const kind = 'esm';\n");
        expect(load(esm).kind).to.equal("esm");
        const broken = path.join(dir, "broken.js");
        fs.writeFileSync(broken, "module.exports = {;\n");
        expect(() => load(broken)).to.throw(SyntaxError);
    });

    it("gives modules a working require, require.resolve and __dirname", () => {
        const file = path.join(dir, "uses-require.js");
        fs.writeFileSync(path.join(dir, "dep.js"), "module.exports = 42;\n");
        fs.writeFileSync(file, "module.exports = { dep: require('./dep'), resolved: require.resolve('./dep'), dir: __dirname };\n");
        expect(load(file)).to.deep.equal({ dep: 42, resolved: path.join(dir, "dep.js"), dir });
    });
});
