import { expect } from "chai";
import { ConfigError, loadPlatformConfig } from "../../config";

const load = (raw: Record<string, string>) => loadPlatformConfig({ "aws:region": "us-east-1", ...raw }, "platform", "test");

describe("stack config", () => {
    it("resolves defaults from the environment class", () => {
        const dev = load({ "platform:environmentClass": "development" });
        expect(dev).to.deep.include({ azCount: 2, isProduction: false });
        expect(dev.network.natGateways).to.equal("single");
        const prod = load({ "platform:environmentClass": "production" });
        expect(prod).to.deep.include({ azCount: 3, isProduction: true });
        expect(prod.network.natGateways).to.equal("perAz");
    });

    it("reads numbers given as strings and structured values given as JSON, as the CLI passes them", () => {
        const cfg = load({ "platform:environmentClass": "production", "platform:azCount": "2", "platform:network": '{"natGateways":"single","flowLogs":false}' });
        expect(cfg.azCount).to.equal(2);
        expect(cfg.network).to.deep.include({ natGateways: "single", flowLogs: false });
    });

    it("reports every problem at once, each with its config path", () => {
        let err: unknown;
        try {
            loadPlatformConfig(
                {
                    "platform:environmentClass": "staging",
                    "platform:azCount": "nine",
                    "platform:azCnt": "3",
                    "platform:network": '{"natGateways":"many"}',
                },
                "platform",
                "test",
            );
        } catch (e) {
            err = e;
        }
        expect(err).to.be.instanceOf(ConfigError);
        const paths = (err as ConfigError).problems.map((p) => p.path);
        expect(paths).to.have.members(["aws:region", "platform:environmentClass", "platform:azCount", "platform:azCnt", "platform:network.natGateways"]);
        expect((err as ConfigError).message).to.match(/platform:azCnt: unknown key/);
    });

    it("rejects a secondary region equal to the primary", () => {
        expect(() => load({ "platform:environmentClass": "production", "platform:secondaryRegion": "us-east-1" })).to.throw(/secondaryRegion: must differ/);
    });
});
