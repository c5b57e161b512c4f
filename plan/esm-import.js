"use strict";
// A real dynamic import(): TypeScript sources here have their imports turned into require() calls.
module.exports = (url) => import(url);
