import { describeSyncCadenceScenarios } from "./sync-cadence-scenarios";

// The sync's cadence on a PostgreSQL server, as deployed; sync-cadence.test.ts runs the same embedded.
describeSyncCadenceScenarios();
