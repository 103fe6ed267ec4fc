import { describeInboxDataScenarios } from "./inbox-data-scenarios";

// The inbox's data layer on the embedded database; inbox-data.pg.test.ts runs the same on PostgreSQL.
describeInboxDataScenarios();
