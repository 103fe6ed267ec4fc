import { describePoolScenarios } from "./pool-scenarios";

// A pool's leases on the embedded database; pool-leases.pg.test.ts runs the same on PostgreSQL, with visitors at once.
describePoolScenarios();
