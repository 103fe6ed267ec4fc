import { describeSyncCadenceScenarios } from "./sync-cadence-scenarios";

// The sync's cadence on the embedded database, as `npm run dev` and a single server without
// DATABASE_URL run it; sync-cadence.pg.test.ts runs the same on PostgreSQL.
describeSyncCadenceScenarios();
