import { describeUsageMonthScenarios } from "./usage-month-scenarios";

describeUsageMonthScenarios();
