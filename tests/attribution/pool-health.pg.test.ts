import { describePoolHealthScenarios } from "./pool-health-scenarios";

// Pool health on a PostgreSQL server, as deployed; pool-health.test.ts runs the same embedded.
describePoolHealthScenarios();
