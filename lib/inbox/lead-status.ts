import { PIPELINE_STATUSES } from "../airtable/pipeline-fields";

/** A lead's place in the pipeline: the same choices as the Lead Pipeline's Status field. */
export const LEAD_STATUSES = PIPELINE_STATUSES;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
