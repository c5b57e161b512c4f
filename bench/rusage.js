"use strict";
// Preloaded into a benchmarked child: writes its peak resident memory (KiB) where BENCH_RUSAGE_FILE says.
const fs = require("node:fs");
const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
    process.on("exit", () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
