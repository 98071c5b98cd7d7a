export { startApi, type RunningApi } from "./server.js";
export { createApp, type ApiDependencies } from "./app.js";
export { routeTable } from "./http/route-table.js";
