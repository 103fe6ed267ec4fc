import { describeReportScenarios } from "./report-scenarios";

describeReportScenarios();
