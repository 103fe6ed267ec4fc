import { describeInboxDataScenarios } from "./inbox-data-scenarios";

// The inbox's data layer on a PostgreSQL server, as deployed; inbox-data.test.ts runs the same embedded.
describeInboxDataScenarios();
