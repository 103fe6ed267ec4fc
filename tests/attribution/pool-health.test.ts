import { describePoolHealthScenarios } from "./pool-health-scenarios";

// Pool health on the embedded database; pool-health.pg.test.ts runs the same on PostgreSQL.
describePoolHealthScenarios();
